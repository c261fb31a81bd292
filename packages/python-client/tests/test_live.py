"""Live tests of the generated Python SDK against a running Aegis server.

Run through `node packages/python-client/run-tests.mjs`, which starts the server (scripted agent)
and sets AEGIS_TEST_BASE_URL and AEGIS_TEST_WORKDIR.
"""

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from aegis_client import OPERATIONS, AegisApiError, AegisClient, AegisConnectionError, __version__
from aegis_client import models

BASE_URL = os.environ.get("AEGIS_TEST_BASE_URL")
WORK_ROOT = os.environ.get("AEGIS_TEST_WORKDIR")
PACKAGE_DIR = os.environ.get(
    "AEGIS_TEST_PACKAGE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
REPO_ROOT = os.path.dirname(os.path.dirname(PACKAGE_DIR))
_counter = itertools.count(1)


def script(*steps):
    return "script:" + json.dumps(list(steps))


WRITE_WITH_PERMISSION = script(
    {"say": "Writing."},
    {
        "tool": {
            "title": "Write a.txt",
            "kind": "edit",
            "permission": True,
            "write": {"path": "a.txt", "content": "hello from python"},
        }
    },
)


@unittest.skipUnless(BASE_URL and WORK_ROOT, "needs a live server: run node run-tests.mjs")
class LiveTestCase(unittest.TestCase):
    client: AegisClient

    @classmethod
    def setUpClass(cls):
        cls.client = AegisClient(BASE_URL, timeout=15)

    def workdir(self):
        path = os.path.join(WORK_ROOT, "%s-%d" % (self._testMethodName, next(_counter)))
        os.makedirs(path)
        return path

    def wait_for(self, session_id, *statuses, timeout=20.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.client.get_session(session_id)
            if last["status"] in statuses:
                return last
            time.sleep(0.05)
        self.fail("session %s never reached %s (last: %s)" % (session_id, statuses, last and last["status"]))

    def new_session(self, **kwargs):
        created = self.client.create_session(work_dir=self.workdir(), **kwargs)
        return created["session"]["id"], created


class TestSessions(LiveTestCase):
    def test_health(self):
        health = self.client.get_health()
        self.assertEqual(health["status"], "ok")
        self.assertIn("scripted", health["agents"])
        self.assertIsInstance(health["sessions"]["live"], int)

    def test_create_session(self):
        work_dir = self.workdir()
        created = self.client.create_session(work_dir=work_dir, name="py-create")
        session = created["session"]
        self.assertFalse(created["reused"])
        self.assertEqual(session["workDir"], os.path.realpath(work_dir))
        self.assertEqual(session["name"], "py-create")
        self.assertEqual(session["agent"], "scripted")
        self.assertIn(session["status"], ("pending", "idle"))
        idle = self.wait_for(session["id"], "idle")
        self.assertEqual(idle["id"], session["id"])
        listed = self.client.list_sessions(work_dir=session["workDir"])
        self.assertIn(session["id"], [s["id"] for s in listed["sessions"]])

    def test_create_session_with_body_dict(self):
        created = self.client.create_session(body={"workDir": self.workdir(), "name": "from-dict"})
        self.assertEqual(created["session"]["name"], "from-dict")

    def test_missing_required_body_field_is_a_type_error(self):
        with self.assertRaises(TypeError):
            self.client.create_session(name="no workdir")

    def test_send_message(self):
        session_id, _ = self.new_session()
        self.wait_for(session_id, "idle")
        sent = self.client.send_message(session_id, text="hello python")
        self.assertEqual(sent["session"]["id"], session_id)
        self.assertIn("delivered", sent["promptDelivery"])
        self.wait_for(session_id, "idle")
        entries = self.client.read_session(session_id)["entries"]
        self.assertEqual([e["role"] for e in entries], ["user", "assistant"])
        self.assertEqual(entries[0]["text"], "hello python")
        self.assertEqual(entries[1]["text"], "You said: hello python")

    def test_permission_approve_writes_the_file(self):
        work_dir = self.workdir()
        created = self.client.create_session(work_dir=work_dir, prompt=WRITE_WITH_PERMISSION)
        session_id = created["session"]["id"]
        waiting = self.wait_for(session_id, "permission_prompt")
        self.assertEqual(waiting["pendingPermission"]["title"], "Write a.txt")
        self.assertFalse(os.path.exists(os.path.join(work_dir, "a.txt")))
        approved = self.client.approve_permission(session_id)
        self.assertEqual(approved["optionKind"], "allow_once")
        self.wait_for(session_id, "idle")
        with open(os.path.join(work_dir, "a.txt"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "hello from python")
        read = self.client.read_session(session_id)
        self.assertEqual([e["role"] for e in read["entries"]], ["user", "assistant", "permission", "tool"])
        # Only newer entries after the cursor.
        self.assertEqual(self.client.read_session(session_id, cursor=read["cursor"])["entries"], [])
        with self.assertRaises(AegisApiError) as ctx:
            self.client.approve_permission(session_id)
        self.assertEqual(ctx.exception.status, 409)
        self.assertEqual(ctx.exception.code, "NOTHING_PENDING")

    def test_permission_reject_leaves_no_file(self):
        work_dir = self.workdir()
        created = self.client.create_session(work_dir=work_dir, prompt=WRITE_WITH_PERMISSION)
        session_id = created["session"]["id"]
        self.wait_for(session_id, "permission_prompt")
        rejected = self.client.reject_permission(session_id, scope="once")
        self.assertTrue(rejected["optionKind"].startswith("reject"))
        self.wait_for(session_id, "idle")
        self.assertFalse(os.path.exists(os.path.join(work_dir, "a.txt")))

    def test_transcript_cursor_pages_backwards(self):
        session_id, _ = self.new_session(prompt="one")
        self.wait_for(session_id, "idle")
        for text in ("two", "three"):
            self.client.send_message(session_id, text=text)
            self.wait_for(session_id, "idle")
        everything = self.client.read_session(session_id)["entries"]
        self.assertEqual(len(everything), 6)
        collected = []
        before = None
        pages = 0
        while True:
            page = self.client.get_transcript_page(session_id, limit=2, before_id=before)
            pages += 1
            self.assertLessEqual(len(page["messages"]), 2)
            collected = page["messages"] + collected
            if not page["has_more"]:
                break
            before = page["oldest_id"]
            self.assertLess(pages, 10)
        self.assertGreaterEqual(pages, 3)
        self.assertEqual([e["id"] for e in collected], [e["id"] for e in everything])
        users = self.client.get_transcript_page(session_id, role="user")["messages"]
        self.assertEqual([e["text"] for e in users], ["one", "two", "three"])

    def test_kill_session(self):
        session_id, _ = self.new_session()
        self.wait_for(session_id, "idle")
        killed = self.client.kill_session(session_id)
        self.assertEqual(killed["id"], session_id)
        self.wait_for(session_id, "killed")


class TestRoutines(LiveTestCase):
    def test_routine_lifecycle(self):
        preview = self.client.preview_routine_schedule(schedule="0 9 * * 1-5", timezone="Europe/Rome")
        self.assertEqual(len(preview["times"]), 10)
        routine = self.client.create_routine(
            name="py-routine",
            schedule="every 1h",
            target={"session": {"workDir": self.workdir(), "prompt": "hello"}},
        )
        self.assertEqual(routine["scheduleKind"], "interval")
        run = self.client.run_routine(routine["id"])
        self.assertEqual(run["trigger"], "manual")
        self.assertIsNotNone(run["sessionId"])
        runs = self.client.list_routine_runs(routine["id"])
        self.assertEqual([r["id"] for r in runs["runs"]], [run["id"]])
        self.assertFalse(self.client.pause_routine(routine["id"])["enabled"])
        self.assertTrue(self.client.resume_routine(routine["id"])["enabled"])
        self.client.delete_routine(routine["id"])
        # The suite shares one key's live-session cap: end the session the run started.
        self.client.kill_session(run["sessionId"])

    def test_bad_schedule_is_a_400_naming_the_field(self):
        with self.assertRaises(AegisApiError) as caught:
            self.client.create_routine(
                name="bad", schedule="0 25 * * *", target={"session": {"workDir": self.workdir()}}
            )
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(caught.exception.details["issues"][0]["path"], "schedule")


class TestServer(LiveTestCase):
    def test_handshake_negotiates_capabilities(self):
        first = self.client.handshake(protocol_version=1)
        self.assertTrue(first["compatible"])
        self.assertGreaterEqual(first["protocolVersion"], first["minProtocolVersion"])
        self.assertEqual(first["negotiatedCapabilities"], [])
        self.assertEqual(first["warnings"], [])
        known = first["serverCapabilities"][0]
        answer = self.client.handshake(
            protocol_version=first["protocolVersion"], client_capabilities=[known, "py-made-up-capability"]
        )
        self.assertTrue(answer["compatible"])
        self.assertEqual(answer["negotiatedCapabilities"], [known])
        self.assertEqual(len(answer["warnings"]), 1)
        self.assertIn("py-made-up-capability", answer["warnings"][0])

    def test_handshake_from_a_too_old_client_is_a_conflict(self):
        with self.assertRaises(AegisApiError) as ctx:
            self.client.handshake(protocol_version=0)
        self.assertEqual(ctx.exception.status, 409)
        self.assertEqual(ctx.exception.code, "CONFLICT")
        self.assertIn("Upgrade the client", ctx.exception.message)

    def test_handshake_without_a_protocol_version_is_a_type_error(self):
        with self.assertRaises(TypeError):
            self.client.handshake(client_capabilities=["x"])


class TestErrors(LiveTestCase):
    def test_unknown_session_is_session_not_found(self):
        with self.assertRaises(AegisApiError) as ctx:
            self.client.get_session("does-not-exist")
        err = ctx.exception
        self.assertEqual(err.status, 404)
        self.assertEqual(err.code, "SESSION_NOT_FOUND")
        self.assertTrue(err.message)
        self.assertIn("SESSION_NOT_FOUND", str(err))

    def test_unknown_session_stream_raises(self):
        with self.assertRaises(AegisApiError) as ctx:
            next(iter(self.client.stream_session_events("does-not-exist")))
        self.assertEqual(ctx.exception.code, "SESSION_NOT_FOUND")
        self.assertEqual(ctx.exception.status, 404)

    def test_validation_error_has_details(self):
        with self.assertRaises(AegisApiError) as ctx:
            self.client.create_session(work_dir="relative/path")
        self.assertEqual(ctx.exception.status // 100, 4)
        self.assertIsInstance(ctx.exception.code, str)

    def test_unreachable_server_is_a_connection_error(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with self.assertRaises(AegisConnectionError):
            AegisClient("http://127.0.0.1:%d" % port, timeout=2).get_health()


class TestEvents(LiveTestCase):
    def collect_until_turn_completed(self, events, limit=200):
        out = []
        for event in events:
            out.append(event)
            if event["type"] == "turn.completed" or len(out) >= limit:
                break
        return out

    def test_session_events_arrive_in_seq_order(self):
        session_id, _ = self.new_session(prompt=script({"say": "abc", "chunks": 3}, {"think": "hm"}))
        events = self.collect_until_turn_completed(self.client.stream_session_events(session_id))
        seqs = [e["seq"] for e in events]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertEqual(events[0]["type"], "session.created")
        self.assertEqual(events[-1]["type"], "turn.completed")
        self.assertTrue(all(e["sessionId"] == session_id for e in events))
        types = {e["type"] for e in events}
        self.assertIn("message.delta", types)
        # Resuming after a seq gives exactly the events after it.
        resumed = self.collect_until_turn_completed(self.client.stream_session_events(session_id, after=3))
        self.assertEqual([e["seq"] for e in resumed], seqs[3:])
        resumed = self.collect_until_turn_completed(
            self.client.stream_session_events(session_id, last_event_id="5")
        )
        self.assertEqual([e["seq"] for e in resumed], seqs[5:])

    def test_events_follow_a_permission_flow_live(self):
        session_id, _ = self.new_session(prompt=WRITE_WITH_PERMISSION)
        seen = []
        for event in self.client.stream_session_events(session_id):
            seen.append(event)
            if event["type"] == "permission.requested":
                self.client.approve_permission(session_id)
            if event["type"] == "turn.completed":
                break
        types = [e["type"] for e in seen]
        self.assertLess(types.index("permission.requested"), types.index("permission.resolved"))
        self.assertEqual([e["seq"] for e in seen], list(range(1, len(seen) + 1)))

    def test_global_events_stream(self):
        session_id, _ = self.new_session(prompt="global")
        self.wait_for(session_id, "idle")
        mine = []
        last_id = 0
        for event in self.client.stream_events():
            self.assertGreater(event["id"], last_id)
            last_id = event["id"]
            if event["sessionId"] == session_id:
                mine.append(event)
                if event["type"] == "turn.completed":
                    break
        self.assertEqual([e["seq"] for e in mine], list(range(1, len(mine) + 1)))

    def test_stream_resumes_after_a_dropped_connection(self):
        steps = [{"say": "first"}, {"sleep": 400}, {"say": "second"}, {"sleep": 200}, {"say": "third"}]
        proxy = DroppingProxy(BASE_URL)
        try:
            client = AegisClient(proxy.url, timeout=10)
            session_id = client.create_session(work_dir=self.workdir(), prompt=script(*steps))["session"]["id"]
            events = []
            dropped = False
            for event in client.stream_session_events(session_id, retry_delay=0.05):
                events.append(event)
                if not dropped and event["type"] == "message.delta":
                    dropped = True
                    proxy.drop_all()
                if event["type"] == "turn.completed":
                    break
        finally:
            proxy.close()
        seqs = [e["seq"] for e in events]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        texts = [e["data"].get("text") for e in events if e["type"] == "message.completed"]
        self.assertEqual(len(texts), 3, [e["type"] for e in events])
        self.assertGreaterEqual(proxy.connections, 2)
        self.assertTrue(proxy.last_event_ids, "the reconnect sent no Last-Event-ID")
        self.assertIn(int(proxy.last_event_ids[0]), seqs)


class TestSurface(unittest.TestCase):
    def test_one_method_per_operation(self):
        with open(os.path.join(REPO_ROOT, "openapi.json"), encoding="utf-8") as f:
            doc = json.load(f)
        op_ids = [
            op["operationId"]
            for item in doc["paths"].values()
            for method, op in item.items()
            if isinstance(op, dict) and "operationId" in op
        ]
        self.assertEqual(sorted(OPERATIONS), sorted(op_ids))
        for op_id, name in OPERATIONS.items():
            self.assertTrue(callable(getattr(AegisClient, name)), name)
        self.assertEqual(OPERATIONS["createSession"], "create_session")
        self.assertEqual(__version__, doc["info"]["version"])

    def test_models_are_typed(self):
        import typing

        for name in models.__all__:
            value = getattr(models, name)
            if isinstance(value, type):
                typing.get_type_hints(value)
        self.assertIn("session.created", str(typing.get_type_hints(models.SessionCreatedEvent)["type"]))
        self.assertEqual(len(typing.get_args(models.AegisEvent)), len(typing.get_args(models.AegisEvent)))
        self.assertIn("permission_prompt", typing.get_args(models.SessionStatus))


class TestInstall(unittest.TestCase):
    def test_installs_into_a_fresh_venv(self):
        tmp = tempfile.mkdtemp(prefix="aegis-venv-")
        # The runner puts the source tree on PYTHONPATH; the venv must import the installed copy.
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        try:
            venv = os.path.join(tmp, "venv")
            made = subprocess.run(
                [sys.executable, "-m", "venv", venv], capture_output=True, text=True, timeout=120, env=env
            )
            py = os.path.join(venv, "bin", "python")
            if made.returncode != 0 or not os.path.exists(os.path.join(venv, "bin", "pip")):
                reason = "python3 -m venv does not work here (%s); on Debian: apt-get install python3-venv" % (
                    made.stderr.strip()[-300:] or "no pip in the venv"
                )
                if os.environ.get("CI"):
                    self.fail(reason)  # CI must run this test (scripts/test-all.mjs installs python3-venv)
                self.skipTest(reason)
            # Build from a copy so the source tree gets no build/ or egg-info droppings.
            src = os.path.join(tmp, "src")
            shutil.copytree(
                PACKAGE_DIR,
                src,
                ignore=shutil.ignore_patterns("tests", "node_modules", "build", "*.egg-info", "__pycache__"),
            )
            pip = subprocess.run(
                [os.path.join(venv, "bin", "pip"), "install", "--no-build-isolation", "--no-index", src],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=tmp,
                env=env,
            )
            self.assertEqual(pip.returncode, 0, pip.stdout[-2000:] + pip.stderr[-2000:])
            check = subprocess.run(
                [
                    py,
                    "-c",
                    "import aegis_client, os; from aegis_client import AegisClient, AegisApiError; "
                    "assert os.path.exists(os.path.join(os.path.dirname(aegis_client.__file__), 'py.typed')); "
                    "import aegis_python_client; assert aegis_python_client.AegisClient is AegisClient; "
                    "c = AegisClient(); print(aegis_client.__version__, c.base_url, aegis_client.__file__)",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                cwd=tmp,
                env=env,
            )
            self.assertEqual(check.returncode, 0, check.stderr)
            self.assertIn("http://127.0.0.1:9100", check.stdout)
            self.assertIn(venv, check.stdout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class DroppingProxy:
    """A TCP proxy to the server whose open connections can be cut, to test SSE resumption."""

    def __init__(self, base_url):
        from urllib.parse import urlsplit

        target = urlsplit(base_url)
        self.target = (target.hostname, target.port)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.connections = 0
        self.last_event_ids = []
        self.lock = threading.Lock()
        self.sockets = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.connections += 1
                self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src, dst, inspect):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if inspect:
                    for line in data.decode("latin-1").split("\r\n"):
                        if line.lower().startswith("last-event-id:"):
                            self.last_event_ids.append(line.split(":", 1)[1].strip())
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def drop_all(self):
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self):
        self.closed = True
        self.listener.close()
        self.drop_all()


if __name__ == "__main__":
    unittest.main()
