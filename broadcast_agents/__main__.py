"""`python -m broadcast_agents --config FILE`: run the node agent until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from .config import ConfigError, load_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="broadcast_agents", description="Hamlet node agent")
    parser.add_argument("--config", required=True, help="agent TOML file")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    from .agent import Agent  # after config, so a bad config fails fast and cheaply

    # A thread waking for a first sample must not wait out the default 5 ms GIL slice.
    sys.setswitchinterval(0.0005)
    agent = Agent(cfg)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: agent.request_stop(stop))
    agent.run(stop)
    logging.getLogger(__name__).info("stopped cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
