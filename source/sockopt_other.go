//go:build !linux

package source

import "net"

const msgTrunc = 0

// setRecvBuffer asks for a UDP receive buffer of size bytes and returns what was granted.
func setRecvBuffer(conn *net.UDPConn, size int) (asked, granted int, err error) {
	return size, 0, conn.SetReadBuffer(size)
}

// kernelDrops is only known on Linux (SO_RXQ_OVFL).
func kernelDrops(oob []byte) (uint32, bool) { return 0, false }

// socketDrops is only known on Linux.
func socketDrops(conn *net.UDPConn) (uint32, bool) { return 0, false }
