//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !windows

package main

// isTTY says no where the system offers no portable check: no prompt is
// better than a prompt nobody can answer.
func isTTY(uintptr) bool { return false }
