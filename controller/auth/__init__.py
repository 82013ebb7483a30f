"""Authentication and authorization: passwords, API tokens, roles and the login flow."""
