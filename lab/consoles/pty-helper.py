"""Runs a command on a new pseudo-terminal and relays it over stdio.

Node has no pty module and the lab installs no native addon, so the lab's
node shell (termproxy `{kind: 'shell'}`) runs through this helper with
Debian's python3:

  pty-helper.py <cols> <rows> -- <command> [args...]

stdin  -> terminal input
stdout <- terminal output (raw bytes, as PVE's termproxy sends them)
fd 3   <- resize requests, one "<cols> <rows>" line each (TIOCSWINSZ; the
          kernel then sends SIGWINCH to the shell)

It exits with the command's status when the command's terminal closes, and
hangs the session up (SIGHUP, then SIGKILL) when stdin closes or it is told
to stop with SIGTERM.
"""
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time

CONTROL_FD = 3


def set_window_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def spawn(argv, cols, rows):
    master, slave = os.openpty()
    set_window_size(slave, cols, rows)
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.closerange(3, 1024)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.execvp(argv[0], argv)
        except OSError as error:
            os.write(2, ("cannot start %s: %s\r\n" % (argv[0], error.strerror)).encode())
        os._exit(127)
    os.close(slave)
    return pid, master


def hang_up(pid):
    """SIGHUP the shell's whole session like a closed terminal, then make sure it is gone."""
    for sig in (signal.SIGHUP, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except OSError:
            return
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return
            if done:
                return
            time.sleep(0.02)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.stderr.write("usage: pty-helper.py <cols> <rows> -- <command> [args...]\n")
        return 2
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    pid, master = spawn(sys.argv[4:], cols, rows)

    def stop(_signum, _frame):
        hang_up(pid)
        os._exit(143)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    inputs = [0, master]
    try:
        os.fstat(CONTROL_FD)
        inputs.append(CONTROL_FD)
    except OSError:
        pass
    control_buffer = b""
    while True:
        readable, _, _ = select.select(inputs, [], [])
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError as error:
                if error.errno != errno.EIO:
                    raise
                data = b""
            if not data:
                break  # the shell and everything on its terminal are gone
            write_all(1, data)
        if 0 in readable:
            data = os.read(0, 65536)
            if not data:
                hang_up(pid)
                return 0
            write_all(master, data)
        if CONTROL_FD in readable:
            data = os.read(CONTROL_FD, 4096)
            if not data:
                inputs.remove(CONTROL_FD)
                continue
            control_buffer += data
            while b"\n" in control_buffer:
                line, control_buffer = control_buffer.split(b"\n", 1)
                parts = line.split()
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    set_window_size(master, int(parts[0]), int(parts[1]))
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code  # killed by signal N -> 128+N, like a shell


if __name__ == "__main__":
    sys.exit(main())
