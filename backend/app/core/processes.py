"""Child processes that do not outlive the process that started them."""

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """A `preexec_fn`: on Linux, the kernel sends this child SIGTERM when its parent dies.

    The launcher normally stops its children itself; this covers the launcher being killed
    (or its terminal closed) before it can.
    """
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
