package main

import "os"

// isTerminal reports whether v is a terminal: an *os.File the system
// answers terminal attributes for. A character device is not enough:
// /dev/null is one, and a cron job or a container with stdin from
// /dev/null must not be taken for a person at a keyboard.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok || f == nil {
		return false
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	tty := false
	if err := rc.Control(func(fd uintptr) { tty = isTTY(fd) }); err != nil {
		return false
	}
	return tty
}
