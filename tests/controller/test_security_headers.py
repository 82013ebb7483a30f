"""Every answer forbids framing and sniffing and carries a same-origin content policy."""


def test_pages_and_api_carry_security_headers(app, admin_api) -> None:  # type: ignore[no-untyped-def]
    for response in (
        app.test_client().get("/login"),
        admin_api.get("/api/v1/zones"),
        app.test_client().get("/healthz"),
    ):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
