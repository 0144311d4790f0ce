//go:build !linux

package crash

import "syscall"

// childAttr is the child's process attributes: nothing beyond the defaults here.
func childAttr() *syscall.SysProcAttr { return nil }
