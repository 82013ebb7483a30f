"""Server-rendered web UI blueprints for officers and the chairman."""
