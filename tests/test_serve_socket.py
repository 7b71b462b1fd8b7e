"""The listening socket: reported clearly when busy, and no Nagle delay."""

import socket

import pytest

from server.commands.serve import PortBusy, bind


def test_accepted_connections_send_without_nagle_delay():
    listener = bind("127.0.0.1", 0)
    try:
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        # Keep-alive responses written in two parts would otherwise wait for a delayed ACK.
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        accepted.close()
        client.close()
    finally:
        listener.close()


def test_a_busy_port_is_reported_with_advice():
    taken = bind("127.0.0.1", 0)
    try:
        with pytest.raises(PortBusy, match="already in use.*--port"):
            bind("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()


def test_sigterm_stops_the_server_cleanly_and_removes_server_json(tmp_path):
    from tests.server_process import ServerProcess

    server = ServerProcess(tmp_path / "home").start()
    assert (server.home / "server.json").exists()
    server.stop()  # SIGTERM
    assert server.process.returncode == 128 + 15
    assert not (server.home / "server.json").exists()
