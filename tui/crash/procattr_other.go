//go:build !linux

package crash

import "syscall"

// childAttr is the child's process attributes: nothing beyond the defaults here.
func childAttr() *syscall.SysProcAttr { return nil }

// orphaned is what a child does when its parent has died: nothing here.
func orphaned() {}
