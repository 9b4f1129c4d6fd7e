package jsontree

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// skipSpace skips white space and the comments JsonXContentImpl allows (JsonParser.Feature.ALLOW_COMMENTS:
// /* ... */ and // to the end of the line).
func (p *parser) skipSpace() error {
	for p.pos < len(p.body) {
		switch p.body[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		case '/':
			if err := p.comment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) comment() error {
	start := p.pos
	if start+1 >= len(p.body) {
		p.pos = len(p.body)
		return p.syntax(p.pos, "Unexpected end-of-input in a comment")
	}
	switch p.body[start+1] {
	case '/':
		p.pos = start + 2
		for p.pos < len(p.body) && p.body[p.pos] != '\n' && p.body[p.pos] != '\r' {
			p.pos++
		}
		return nil
	case '*':
		for i := start + 2; i+1 < len(p.body); i++ {
			if p.body[i] == '*' && p.body[i+1] == '/' {
				p.pos = i + 2
				return nil
			}
		}
		p.pos = len(p.body)
		return p.syntax(p.pos, "Unexpected end-of-input in a comment")
	}
	c, _, err := p.charForError(start + 1)
	if err != nil {
		return err
	}
	return p.unexpectedChar(start+1, c, "was expecting either '*' or '/' for a comment")
}

// str reads the string at the current position (its opening quote); what names it in errors, as
// Jackson does: "string value" or "name".
func (p *parser) str(what string) (string, error) {
	start := p.pos + 1
	i := start
	for i < len(p.body) {
		c := p.body[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(p.body[start:i]), nil
		case c == '\\':
			return p.escaped(start, i, what)
		case c < 0x20:
			return "", p.controlChar(i, c, what)
		case c < utf8.RuneSelf:
			i++
		default:
			size, err := p.utf8At(i)
			if err != nil {
				return "", err
			}
			i += size
		}
	}
	return "", p.unterminated(what)
}

// escaped reads the rest of a string that has escapes, from the first backslash at i.
func (p *parser) escaped(start, i int, what string) (string, error) {
	b := append(p.buf[:0], p.body[start:i]...)
	for i < len(p.body) {
		c := p.body[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b
			return string(b), nil
		case c == '\\':
			if i+1 >= len(p.body) {
				return "", p.unterminated(what)
			}
			e := p.body[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, err := p.hex4(i)
				if err != nil {
					return "", err
				}
				i += 4
				if utf16.IsSurrogate(r) && i+6 <= len(p.body) && p.body[i] == '\\' && p.body[i+1] == 'u' {
					if r2, err := p.hex4(i + 2); err == nil {
						if pair := utf16.DecodeRune(r, r2); pair != unicode.ReplacementChar {
							r = pair
							i += 6
						}
					}
				}
				if utf16.IsSurrogate(r) {
					r = unicode.ReplacementChar // Go strings cannot hold a lone surrogate
				}
				b = utf8.AppendRune(b, r)
			default:
				r, _, err := p.charForError(i - 1)
				if err != nil {
					return "", err
				}
				return "", p.syntax(i-1, fmt.Sprintf("Unrecognized character escape %s", charDesc(r)))
			}
		case c < 0x20:
			return "", p.controlChar(i, c, what)
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			size, err := p.utf8At(i)
			if err != nil {
				return "", err
			}
			b = append(b, p.body[i:i+size]...)
			i += size
		}
	}
	return "", p.unterminated(what)
}

func (p *parser) hex4(i int) (rune, error) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(p.body) {
			return 0, p.unterminated("string value")
		}
		c := p.body[j]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			r, _, err := p.charForError(j)
			if err != nil {
				return 0, err
			}
			return 0, p.unexpectedChar(j, r, "expected a hex-digit for character escape sequence")
		}
		r = r<<4 | rune(d)
	}
	return r, nil
}

// number reads a number as Jackson's UTF8StreamJsonParser does and returns it as written, after
// checking its length against StreamReadConstraints.
func (p *parser) number() (string, error) {
	start := p.pos
	i := start
	if p.body[i] == '-' {
		i++
		if i >= len(p.body) {
			return "", p.eof()
		}
		if c := p.body[i]; c < '0' || c > '9' {
			r, _, err := p.charForError(i)
			if err != nil {
				return "", err
			}
			return "", p.unexpectedChar(i, r, "expected digit (0-9) to follow minus sign, for valid numeric value")
		}
	}
	intStart := i
	i = p.digits(i)
	intLen := i - intStart
	if intLen > 1 && p.body[intStart] == '0' {
		return "", p.syntax(intStart, "Invalid numeric value: Leading zeroes not allowed")
	}
	length, float := intLen, false
	if i < len(p.body) && p.body[i] == '.' {
		float = true
		j := p.digits(i + 1)
		if j == i+1 {
			return "", p.badNumberChar(j, "Decimal point not followed by a digit")
		}
		length += j - i - 1
		i = j
	}
	if i < len(p.body) && (p.body[i] == 'e' || p.body[i] == 'E') {
		float = true
		i++
		if i < len(p.body) && (p.body[i] == '+' || p.body[i] == '-') {
			i++
		}
		j := p.digits(i)
		if j == i {
			return "", p.badNumberChar(j, "Exponent indicator not followed by a digit")
		}
		length += j - i
		i = j
	}
	if !float {
		length = intLen
	}
	if length > maxNumberLength {
		return "", numberLengthError(length, start)
	}
	p.pos = i
	return string(p.body[start:i]), nil
}

func (p *parser) digits(i int) int {
	for i < len(p.body) && p.body[i] >= '0' && p.body[i] <= '9' {
		i++
	}
	return i
}

func (p *parser) badNumberChar(i int, msg string) error {
	if i >= len(p.body) {
		return p.eof()
	}
	r, _, err := p.charForError(i)
	if err != nil {
		return err
	}
	return p.syntax(i, fmt.Sprintf("Unexpected character (%s) in numeric value: %s", charDesc(r), msg))
}

// javaIdentifierPart approximates Character.isJavaIdentifierPart, with which Jackson decides how much of
// an unrecognized token to name.
func javaIdentifierPart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// The errors, with Jackson's messages after the location prefix.

func (p *parser) syntax(off int, msg string) *SyntaxError {
	return &SyntaxError{Off: off, Msg: LocAt(p.body, off) + " " + msg}
}

func (p *parser) eof() error { return p.syntax(len(p.body), "Unexpected end-of-input") }

func (p *parser) unterminated(what string) error {
	if what == "name" {
		return p.syntax(len(p.body), "Unexpected end-of-input in field name")
	}
	return p.syntax(len(p.body), "Unexpected end-of-input: was expecting closing quote for a "+what)
}

func (p *parser) controlChar(off int, c byte, what string) error {
	return p.syntax(off, fmt.Sprintf("Illegal unquoted character (%s): has to be escaped using backslash to be included in %s",
		charDesc(rune(c)), what))
}

func (p *parser) unexpectedChar(off int, c rune, comment string) error {
	return p.syntax(off, fmt.Sprintf("Unexpected character (%s): %s", charDesc(c), comment))
}

// unexpectedValue is the error for a character that starts no value: Jackson names a would-be token
// ("Unrecognized token") and otherwise the character.
func (p *parser) unexpectedValue() error {
	c, _, err := p.charForError(p.pos)
	if err != nil {
		return err
	}
	if javaIdentifierPart(c) {
		return p.invalidToken("")
	}
	return p.unexpectedChar(p.pos, c, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
}

// invalidToken reports the token that starts at the current position less len(prefix), read on while
// it continues with identifier characters, as Jackson's _reportInvalidToken does (up to 256 characters).
func (p *parser) invalidToken(prefix string) error {
	start := p.pos - len(prefix)
	i := p.pos
	for n := len(prefix); i < len(p.body) && n < 256; n++ {
		r, size, err := p.charForError(i)
		if err != nil {
			return err
		}
		if !javaIdentifierPart(r) {
			break
		}
		i += size
	}
	return p.syntax(start, "Unrecognized token '"+string(p.body[start:i])+
		"': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
}

func (p *parser) mismatchedEnd(c, want byte, top *Node) error {
	return p.syntax(p.pos, fmt.Sprintf("Unexpected close marker '%c': expected '%c' (for %s starting at %s)",
		c, want, typeDesc(top), LocAt(p.body, top.Off())))
}

// charForError decodes the character at off for an error message; a byte that starts no UTF-8
// character is Jackson's own error.
func (p *parser) charForError(off int) (rune, int, error) {
	if c := p.body[off]; c < utf8.RuneSelf {
		return rune(c), 1, nil
	}
	size, err := p.utf8At(off)
	if err != nil {
		return 0, 0, err
	}
	r, _ := utf8.DecodeRune(p.body[off:])
	return r, size, nil
}

// utf8At checks the UTF-8 character at off, as UTF8StreamJsonParser decodes a body: a bad first byte
// and a bad continuation byte are errors.
func (p *parser) utf8At(off int) (int, error) {
	r, size := utf8.DecodeRune(p.body[off:])
	if r != utf8.RuneError || size > 1 {
		return size, nil
	}
	c := p.body[off]
	want := 0
	switch {
	case c >= 0xC2 && c <= 0xDF:
		want = 2
	case c >= 0xE0 && c <= 0xEF:
		want = 3
	case c >= 0xF0 && c <= 0xF4:
		want = 4
	}
	for i := off + 1; i < off+want; i++ {
		if i >= len(p.body) {
			return 0, p.eof()
		}
		if p.body[i]&0xC0 != 0x80 {
			return 0, p.syntax(i, "Invalid UTF-8 middle byte 0x"+strconv.FormatInt(int64(p.body[i]), 16))
		}
	}
	return 0, p.syntax(off, "Invalid UTF-8 start byte 0x"+strconv.FormatInt(int64(c), 16))
}

// charDesc names a character as Jackson's ParserMinimalBase._getCharDesc does.
func charDesc(r rune) string {
	switch {
	case unicode.IsControl(r):
		return fmt.Sprintf("(CTRL-CHAR, code %d)", r)
	case r > 255:
		return fmt.Sprintf("'%c' (code %d / 0x%x)", r, r, r)
	}
	return fmt.Sprintf("'%c' (code %d)", r, r)
}
