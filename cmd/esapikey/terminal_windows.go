package main

import "syscall"

// isTTY reports whether fd is a console: only a console has a mode.
func isTTY(fd uintptr) bool {
	var mode uint32
	return syscall.GetConsoleMode(syscall.Handle(fd), &mode) == nil
}
