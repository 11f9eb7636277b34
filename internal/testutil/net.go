package testutil

import (
	"net"
	"testing"
)

// ClosedAddr returns a loopback address ("127.0.0.1:port") on which
// nothing listens: a port just taken and let go.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
