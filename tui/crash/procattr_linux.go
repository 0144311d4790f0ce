package crash

import (
	"os/signal"
	"syscall"
)

// childAttr has the kernel stop the child if the parent dies without passing a signal on
// (SIGKILL): a child left alone would keep the terminal.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }

// orphaned lets a child whose parent has died restore the terminal from the background
// process group, where it is left: the kernel refuses terminal settings from there, and
// stops the process, unless SIGTTOU is ignored.
func orphaned() { signal.Ignore(syscall.SIGTTOU) }
