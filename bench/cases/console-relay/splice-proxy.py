"""The cheapest TCP proxy Linux allows, for the console relay case's reading of its figures: splice(2) moves each
byte from one socket to the other through a pipe without it ever entering user space. What it costs beside raw TCP
is what any process in the middle costs on this machine, whatever its language.

Usage: splice-proxy.py <listen port> <target port> (both on 127.0.0.1). One thread per direction of a connection.
"""

import fcntl
import os
import socket
import sys
import threading

PIPE_BYTES = 1 << 20


def forward(source: socket.socket, target: socket.socket, done: threading.Barrier) -> None:
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    try:
        while True:
            moved = os.splice(source.fileno(), write_end, PIPE_BYTES, flags=os.SPLICE_F_MOVE)
            if moved == 0:
                break
            while moved > 0:
                moved -= os.splice(read_end, target.fileno(), moved, flags=os.SPLICE_F_MOVE)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the other side went away: the connection ends below
    finally:
        os.close(read_end)
        os.close(write_end)
        # The second direction to finish closes both sockets.
        if done.wait() == 0:
            source.close()
            target.close()


def serve(listen_port: int, target_port: int) -> None:
    listener = socket.create_server(("127.0.0.1", listen_port))
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", target_port))
        for end in (client, upstream):
            end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        done = threading.Barrier(2)
        threading.Thread(target=forward, args=(client, upstream, done), daemon=True).start()
        threading.Thread(target=forward, args=(upstream, client, done), daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
