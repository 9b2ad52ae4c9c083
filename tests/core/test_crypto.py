import pytest
from django.core.exceptions import ImproperlyConfigured

from tongban.core import crypto

KEY_A = crypto.new_fernet_key()
KEY_B = crypto.new_fernet_key()


def test_round_trip_hides_the_plaintext(settings):
    settings.TONGBAN_FIELD_KEYS = [KEY_A]
    token = crypto.encrypt("A1234563")
    assert "A1234563" not in token
    assert crypto.decrypt(token) == "A1234563"


def test_old_key_still_decrypts_and_rotation_moves_to_the_new_key(settings):
    settings.TONGBAN_FIELD_KEYS = [KEY_A]
    old_token = crypto.encrypt("M12345678")
    settings.TONGBAN_FIELD_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt(old_token) == "M12345678"
    new_token = crypto.rotate(old_token)
    settings.TONGBAN_FIELD_KEYS = [KEY_B]
    assert crypto.decrypt(new_token) == "M12345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old_token)


def test_garbage_is_a_decryption_error(settings):
    settings.TONGBAN_FIELD_KEYS = [KEY_A]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("not a token")


def test_bad_key_is_a_configuration_error(settings):
    settings.TONGBAN_FIELD_KEYS = ["short"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_lookup_hash_is_keyed_and_separated_by_purpose(settings):
    settings.TONGBAN_LOOKUP_KEY = "one"
    first = crypto.lookup_hash("A1234563", purpose="hkid")
    assert first == crypto.lookup_hash("A1234563", purpose="hkid")
    assert first != crypto.lookup_hash("A1234563", purpose="mo-bir")
    assert "A1234563" not in first
    settings.TONGBAN_LOOKUP_KEY = "two"
    assert first != crypto.lookup_hash("A1234563", purpose="hkid")


def test_production_refuses_to_start_without_keys(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TONGBAN_FIELD_KEYS", "TONGBAN_LOOKUP_KEY"}
    }
    environment.update(
        TONGBAN_ENV="production",
        TONGBAN_SECRET_KEY="s" * 50,
        TONGBAN_ALLOWED_HOSTS="example.org",
        TONGBAN_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", "import tongban.settings"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "TONGBAN_FIELD_KEYS must be set" in result.stderr
