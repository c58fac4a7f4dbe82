"""The classroom's https in one command (``python -m dashboard.classroom``): a certificate
for this machine's network addresses and localhost that a TLS server loads, kept private,
made once and reused while it still covers the addresses, and what a teacher reads."""

from __future__ import annotations

import ssl

from cryptography import x509

from dashboard import classroom
from dashboard.shared.config import reset_config


def test_the_certificate_covers_the_addresses_and_is_made_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUCKET_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(classroom, "network_addresses", lambda: ["192.168.1.20"])
    reset_config()
    try:
        classroom.main(["--only-certificate", "--port", "8600"])
        said = capsys.readouterr().out
        folder = tmp_path / "classroom-tls"
        cert_file, key_file = folder / "classroom.crt", folder / "classroom.key"
        assert "https://localhost:8600" in said and "https://192.168.1.20:8600" in said
        assert classroom.fingerprint(cert_file) in said
        assert key_file.stat().st_mode & 0o077 == 0
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert_file, key_file)
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert {str(a) for a in names.get_values_for_type(x509.IPAddress)} >= {
            "127.0.0.1",
            "192.168.1.20",
        }
        assert "localhost" in names.get_values_for_type(x509.DNSName)
        first = cert_file.read_bytes()
        classroom.main(["--only-certificate"])  # the next lesson: the same certificate
        assert cert_file.read_bytes() == first
        monkeypatch.setattr(classroom, "network_addresses", lambda: ["10.0.0.7"])
        classroom.main(["--only-certificate"])  # another network: a new one
        assert cert_file.read_bytes() != first
    finally:
        reset_config()
