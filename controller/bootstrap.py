"""First-start data: the configured commune must exist before anything refers to it."""

from __future__ import annotations

from controller.config import Config
from controller.db.models import Site
from controller.db.session import Database


def ensure_site(db: Database, config: Config) -> None:
    """Create (or refresh the name of) the configured site."""
    with db.session() as session:
        site = session.get(Site, config.site.id)
        if site is None:
            session.add(
                Site(
                    id=config.site.id,
                    name=config.site.name,
                    timezone=config.site.timezone,
                    zone_label=config.site.zone_label,
                )
            )
        else:
            site.name = config.site.name
            site.timezone = config.site.timezone
            site.zone_label = config.site.zone_label
