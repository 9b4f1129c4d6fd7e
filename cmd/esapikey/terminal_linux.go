package main

import (
	"syscall"
	"unsafe"
)

// isTTY asks for the terminal attributes of fd (TCGETS), which only a
// terminal has.
func isTTY(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
