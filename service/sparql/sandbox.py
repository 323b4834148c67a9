"""The operating system's guarantee that a query process cannot reach the network.

A process that evaluates a SPARQL query or update calls :func:`enter` before it reads its
first job. From then on the kernel refuses it, whatever the query text says:

- **Landlock** (Linux 6.7+, ABI 4+): a ruleset that handles TCP ``connect`` and ``bind`` with
  no rule, so every TCP connection and listening socket is refused (``EACCES``). A federation
  process gets one rule per allowed port instead. On ABI 6+ the ruleset is also *scoped*:
  no connection to an abstract UNIX socket outside the process, and no signal to another.
- **seccomp** (libseccomp through ``pyseccomp``): ``socket()`` of any family fails with
  ``EACCES`` (so no UDP either: a DNS query would tell a resolver the host name), as does
  ``io_uring_setup`` (io_uring can open sockets without the ``socket`` system call). A
  federation process may open internet sockets; Landlock then limits the ports.

Landlock is driven by a small ctypes binding (three system calls): the ``landlock`` package
on PyPI handles file-system rules only, not network ports.

Both are unprivileged (``PR_SET_NO_NEW_PRIVS``) and cannot be undone by the process. At start
the server *probes*: it forks a process, enters the sandbox there and checks that a TCP
connection to a listener of its own is refused. Without that proof it refuses to start,
unless ``NEARKG_UNSANDBOXED_QUERIES`` accepts the risk (see SECURITY.md).
``NEARKG_SANDBOX_PRETEND_MISSING`` makes this process behave as if the kernel lacked one or
both mechanisms (to test those paths on a kernel that has them).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
from dataclasses import dataclass

# Linux system call numbers (the same on x86_64 and aarch64: Landlock came after unification)
_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_ACCESS_NET_BIND_TCP = 1 << 0
_ACCESS_NET_CONNECT_TCP = 1 << 1
_RULE_NET_PORT = 2
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
_SCOPE_SIGNAL = 1 << 1
_PR_SET_NO_NEW_PRIVS = 38
LANDLOCK_NET_ABI = 4  # the first ABI with TCP rules
LANDLOCK_SCOPE_ABI = 6

MECHANISMS = ("landlock", "seccomp")


class SandboxUnavailable(RuntimeError):
    """The kernel (or this process's settings) offers no way to take the network away."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _NetPortAttr(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def _syscall(number: int, *args) -> int:
    result = _libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def pretended_missing() -> frozenset[str]:
    raw = os.environ.get("NEARKG_SANDBOX_PRETEND_MISSING", "")
    return frozenset(p.strip().lower() for p in raw.split(",") if p.strip())


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when it has none (or pretends so)."""
    if "landlock" in pretended_missing() or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    try:
        return _syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                        ctypes.c_uint32(_CREATE_RULESET_VERSION))  # fmt: skip
    except OSError:
        return 0


def _seccomp_module():
    if "seccomp" in pretended_missing():
        return None
    try:
        import pyseccomp

        pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)  # loads libseccomp
        return pyseccomp
    except (ImportError, OSError, RuntimeError):
        return None


def available() -> tuple[str, ...]:
    """The mechanisms this kernel offers for taking the network away."""
    found = []
    if landlock_abi() >= LANDLOCK_NET_ABI:
        found.append("landlock")
    if _seccomp_module() is not None:
        found.append("seccomp")
    return tuple(found)


@dataclass(frozen=True)
class Entered:
    mechanisms: tuple[str, ...]  # what holds in this process now; empty: nothing (risk accepted)
    ports: tuple[int, ...] = ()  # TCP ports a federation process may connect to


def enter(*, allowed_ports: tuple[int, ...] | None = None, accept_risk: bool = False) -> Entered:
    """Take the network away from this process for good (``allowed_ports``: a federation
    process may connect to these TCP ports, nothing else). Raises ``SandboxUnavailable`` when
    no mechanism applies, unless ``accept_risk``."""
    applied = []
    federation = allowed_ports is not None
    mechanisms = available()
    if mechanisms and _prctl(_PR_SET_NO_NEW_PRIVS, 1) != 0:
        raise SandboxUnavailable("prctl(PR_SET_NO_NEW_PRIVS) failed")
    if "seccomp" in mechanisms:
        _enter_seccomp(federation)
        applied.append("seccomp")
    if "landlock" in mechanisms:
        _enter_landlock(tuple(allowed_ports or ()))
        applied.append("landlock")
    if federation and "landlock" not in applied and not accept_risk:
        # seccomp cannot look at a connect() address: without Landlock nothing but the parse
        # would limit where a federation process connects
        raise SandboxUnavailable("a federation process needs Landlock (ABI 4+) to limit its ports")
    if not applied and not accept_risk:
        raise SandboxUnavailable("neither Landlock (ABI 4+) nor seccomp is available")
    return Entered(tuple(applied), tuple(allowed_ports or ()))


def _prctl(option: int, value: int) -> int:
    return _libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0),
                       ctypes.c_ulong(0))  # fmt: skip


def _enter_landlock(ports: tuple[int, ...]) -> None:
    abi = landlock_abi()
    attr = _RulesetAttr(0, _ACCESS_NET_BIND_TCP | _ACCESS_NET_CONNECT_TCP, 0)
    size = ctypes.sizeof(_RulesetAttr)
    if abi >= LANDLOCK_SCOPE_ABI:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
    else:
        size = 16  # the ABI 4-5 structure has no ``scoped`` field
    ruleset = _syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                       ctypes.c_uint32(0))  # fmt: skip
    try:
        for port in ports:
            rule = _NetPortAttr(_ACCESS_NET_CONNECT_TCP, port)
            _syscall(_SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_NET_PORT),
                     ctypes.byref(rule), ctypes.c_uint32(0))  # fmt: skip
        _syscall(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)


def _enter_seccomp(federation: bool) -> None:
    seccomp = _seccomp_module()
    refuse = seccomp.ERRNO(errno.EACCES)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread of the process, not only this one
    if federation:  # internet sockets only (Landlock limits their ports); no raw or packet
        for family in (socket.AF_PACKET, socket.AF_NETLINK):
            rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
        rules.add_rule(refuse, "socket", seccomp.Arg(1, seccomp.MASKED_EQ, 0xF, socket.SOCK_RAW))
    else:
        rules.add_rule(refuse, "socket")
    rules.add_rule(refuse, "io_uring_setup")
    rules.load()


def probe() -> tuple[str, ...]:
    """Prove, in a forked process, that entering the sandbox refuses a TCP connection to a
    listener of ours. The mechanisms that held; empty when none did."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the probe: enter, then try to connect
        os.close(read_end)
        report = b""
        try:
            entered = enter()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                report = b"connected"
            except OSError:
                report = ",".join(entered.mechanisms).encode() or b"none"
        except SandboxUnavailable:
            report = b"none"
        except BaseException as error:  # noqa: BLE001 - reported, then the probe ends
            report = f"error {error}".encode()
        os.write(write_end, report)
        os._exit(0)
    os.close(write_end)
    try:
        chunks = []
        while chunk := os.read(read_end, 1024):
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
        listener.close()
    answer = b"".join(chunks).decode()
    if answer in ("connected", "none") or answer.startswith("error"):
        return ()
    return tuple(answer.split(","))


UNSAFE_EXIT = 78  # sysexits' EX_CONFIG: the machine cannot run the server as configured


def check_at_start(*, federation: bool, accept_risk: bool) -> tuple[bool, str]:
    """Before serving: (may serve, a line for the operator). Serving is refused when no
    mechanism is proven to hold (or, with federation, Landlock does not), unless
    ``accept_risk`` (NEARKG_UNSANDBOXED_QUERIES), which serves with a loud warning."""
    held = probe()
    if held and (not federation or "landlock" in held):
        return True, f"query processes have no network ({' + '.join(held)})"
    if not held:
        problem = (
            "this kernel offers neither Landlock (ABI 4+, Linux 6.7+) nor seccomp, so query "
            "processes could reach the network through SERVICE or LOAD"
        )
    else:
        problem = (
            "federation (NEARKG_FEDERATION_ALLOW) needs Landlock (ABI 4+, Linux 6.7+) to "
            "limit the ports a federation process reaches; this kernel lacks it"
        )
    if accept_risk:
        return True, f"WARNING: {problem}; serving anyway (NEARKG_UNSANDBOXED_QUERIES)"
    return False, f"{problem}. Refusing to start; see SECURITY.md (NEARKG_UNSANDBOXED_QUERIES)"
