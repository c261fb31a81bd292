"""AegisClient() with no arguments finds the server and token in the environment, as the CLI does."""

import os
import unittest
from unittest import mock

from aegis_client import DEFAULT_BASE_URL, AegisClient

BASE_URL = os.environ.get("AEGIS_TEST_BASE_URL")


class EnvDefaultsTestCase(unittest.TestCase):
    def test_defaults_without_environment(self):
        with mock.patch.dict(os.environ, clear=True):
            client = AegisClient()
        self.assertEqual(client.base_url, DEFAULT_BASE_URL)
        self.assertEqual(DEFAULT_BASE_URL, "http://127.0.0.1:9100")
        self.assertIsNone(client.token)

    def test_arguments_win_over_environment(self):
        env = {"AEGIS_BASE_URL": "http://127.0.0.1:1", "AEGIS_AUTH_TOKEN": "from-env"}
        with mock.patch.dict(os.environ, env, clear=True):
            client = AegisClient("http://example.test:9/", token="given")
        self.assertEqual(client.base_url, "http://example.test:9")
        self.assertEqual(client.token, "given")

    @unittest.skipUnless(BASE_URL, "needs a live server: run node run-tests.mjs")
    def test_reads_base_url_and_token_from_the_environment(self):
        env = {"AEGIS_BASE_URL": BASE_URL + "/", "AEGIS_AUTH_TOKEN": "env-token"}
        with mock.patch.dict(os.environ, env, clear=True):
            client = AegisClient(timeout=15)
        self.assertEqual(client.base_url, BASE_URL)
        self.assertEqual(client.token, "env-token")
        # The live server (no keys, loopback) answers; the client reached it by the environment alone.
        self.assertEqual(client.get_health()["status"], "ok")


if __name__ == "__main__":
    unittest.main()
