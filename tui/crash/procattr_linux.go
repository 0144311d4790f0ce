package crash

import "syscall"

// childAttr has the kernel stop the child if the parent dies without passing a signal on
// (SIGKILL): a child left alone would keep the terminal.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }
