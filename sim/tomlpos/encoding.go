package tomlpos

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// EncodingError says that a file is not UTF-8 text, as TOML must be: where
// its first byte that is not UTF-8 is, and what that byte probably was. A
// Norwegian file saved as Latin-1 (Windows-1252) holds "ø" as the single
// byte 0xF8, which the TOML decoder reports as "invalid UTF-8 byte: 0xf8"
// with no word of the encoding.
type EncodingError struct {
	Line int // the line (from 1) of the first byte that is not UTF-8
	// Col is that byte's column (from 1) in Text, counted in characters.
	Col  int
	Byte byte // the first byte that is not UTF-8 (0 for UTF-16)
	// Charset is the encoding the bytes were probably written in
	// ("Latin-1/Windows-1252" or "Mac OS Roman"); Char is Byte read in it
	// ("ø"), or "" when that is no letter.
	Charset, Char string
	// Text is the line with its bytes that are not UTF-8 read in Charset,
	// so that it shows what was meant.
	Text string
	// Lines are all the lines with bytes that are not UTF-8, in order.
	Lines []int
	UTF16 bool // the file is UTF-16 text (Windows Notepad's "Unicode")
}

// CheckUTF8 returns nil if data is UTF-8 text (with or without a byte-order
// mark), and otherwise says where it is not and what it probably is.
func CheckUTF8(data []byte) *EncodingError {
	if isUTF16(data) {
		return &EncodingError{Line: 1, Col: 1, UTF16: true}
	}
	if utf8.Valid(data) {
		return nil
	}
	charset, cm := guessCharset(data)
	e := &EncodingError{Charset: charset}
	for n, line := range bytes.Split(data, []byte("\n")) {
		if utf8.Valid(line) {
			continue
		}
		e.Lines = append(e.Lines, n+1)
		if e.Line != 0 {
			continue
		}
		e.Line = n + 1
		var b strings.Builder
		col := 0
		for i := 0; i < len(line); {
			r, size := utf8.DecodeRune(line[i:])
			col++
			if r == utf8.RuneError && size == 1 {
				r = cm.DecodeByte(line[i])
				if e.Byte == 0 && e.Col == 0 {
					e.Byte, e.Col = line[i], col
					if isLetter(r) {
						e.Char = string(r)
					}
				}
			}
			b.WriteRune(r)
			i += size
		}
		e.Text = strings.TrimRight(b.String(), "\r")
	}
	return e
}

// Error says what is wrong and how to fix it, without the file's name:
//
//	the file is not UTF-8 text: line 9 has the byte 0xF8, which is "ø" in Latin-1/Windows-1252 …; save the file as UTF-8 …
func (e *EncodingError) Error() string {
	const fix = "save the file as UTF-8 (in your editor's Save as, choose the encoding UTF-8), as every TOML file must be"
	if e.UTF16 {
		return `the file is UTF-16 text (what Windows Notepad calls "Unicode"), not UTF-8; ` + fix
	}
	what := fmt.Sprintf("line %d has the byte 0x%02X, which is no UTF-8 character", e.Line, e.Byte)
	if e.Char != "" {
		what = fmt.Sprintf("line %d has the byte 0x%02X, which is %q in %s: the file was probably saved in that encoding", e.Line, e.Byte, e.Char, e.Charset)
	}
	switch others := e.Lines[1:]; len(others) {
	case 0:
	case 1:
		what += fmt.Sprintf(" (line %d has such bytes too)", others[0])
	default:
		what += fmt.Sprintf(" (lines %s have such bytes too)", list(others))
	}
	return "the file is not UTF-8 text: " + what + "; " + fix
}

// list writes 3, 5 and 9 (at most 10 lines, then "…").
func list(lines []int) string {
	var s []string
	for i, l := range lines {
		if i == 10 {
			s = append(s, "…")
			break
		}
		s = append(s, fmt.Sprint(l))
	}
	switch len(s) {
	case 1:
		return s[0]
	case 2:
		return s[0] + " and " + s[1]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// isUTF16 reports a UTF-16 byte-order mark, or text that is mostly NUL
// bytes (UTF-16 without a mark: every ASCII character has one).
func isUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	return len(data) >= 2 && bytes.Count(data, []byte{0})*4 >= len(data)
}

// guessCharset returns the single-byte encoding in which more of the bytes
// that are not UTF-8 are letters of the Latin-1 range (æ, ø, å, é …):
// Windows-1252 (a superset of Latin-1's printable characters, what Windows
// and most spreadsheets write) unless Mac OS Roman explains more of them.
func guessCharset(data []byte) (string, *charmap.Charmap) {
	win, mac := 0, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if isLetter(charmap.Windows1252.DecodeByte(data[i])) {
				win++
			}
			if isLetter(charmap.Macintosh.DecodeByte(data[i])) {
				mac++
			}
		}
		i += size
	}
	if mac > win {
		return "Mac OS Roman", charmap.Macintosh
	}
	return "Latin-1/Windows-1252", charmap.Windows1252
}

// isLetter reports a letter of the Latin-1 Supplement (À … ÿ but × and ÷):
// what a Norwegian (or other western European) text's bytes above 0x7F
// most likely are.
func isLetter(r rune) bool {
	return r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7
}
