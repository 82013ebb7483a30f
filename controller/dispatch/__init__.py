"""Dispatch: signs plans and commands and talks to the nodes over MQTT."""
