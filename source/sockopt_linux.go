package source

import (
	"encoding/binary"
	"net"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// msgTrunc is the recvmsg flag for a datagram longer than the buffer.
const msgTrunc = unix.MSG_TRUNC

// setRecvBuffer asks for a UDP receive buffer of size bytes — with SO_RCVBUFFORCE as
// root, which may exceed net.core.rmem_max — and turns on SO_RXQ_OVFL, so that each
// datagram comes with the count of datagrams the kernel dropped. It returns the size
// granted (the kernel reports twice the usable size; granted is the usable size).
func setRecvBuffer(conn *net.UDPConn, size int) (asked, granted int, err error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return size, 0, err
	}
	cerr := raw.Control(func(fd uintptr) {
		err = unix.EINVAL
		if os.Geteuid() == 0 {
			err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, size)
		}
		if err != nil {
			err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, size)
		}
		if got, gerr := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF); gerr == nil {
			granted = got / 2
		}
		unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RXQ_OVFL, 1)
	})
	if cerr != nil {
		err = cerr
	}
	return size, granted, err
}

// kernelDrops reads the SO_RXQ_OVFL count from a datagram's control messages: how many
// datagrams the kernel has dropped on this socket so far.
func kernelDrops(oob []byte) (uint32, bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return 0, false
	}
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_RXQ_OVFL && len(m.Data) >= 4 {
			return binary.NativeEndian.Uint32(m.Data), true
		}
	}
	return 0, false
}

// socketDrops reads how many datagrams the kernel has dropped on the socket so far, now:
// the count SO_RXQ_OVFL reports (sk_drops), read with SO_MEMINFO (Linux 4.8 and later),
// so that drops after the last datagram read are counted too.
func socketDrops(conn *net.UDPConn) (uint32, bool) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0, false
	}
	var mem [unix.SK_MEMINFO_VARS]uint32
	ok := false
	raw.Control(func(fd uintptr) {
		n := uint32(unsafe.Sizeof(mem))
		_, _, errno := unix.Syscall6(unix.SYS_GETSOCKOPT, fd, unix.SOL_SOCKET, unix.SO_MEMINFO,
			uintptr(unsafe.Pointer(&mem[0])), uintptr(unsafe.Pointer(&n)), 0)
		ok = errno == 0 && n > unix.SK_MEMINFO_DROPS*4
	})
	return mem[unix.SK_MEMINFO_DROPS], ok
}
