package tomlpos

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/settle-sim/settle/sim/phrase"
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
	// Binary: the file is no text at all (a program, an archive, a
	// compressed file): it has NUL bytes, or many other control bytes.
	Binary bool
	// CR: the file ends lines with a carriage return alone (old Mac line
	// endings), which TOML does not accept; Line is the first such line
	// (counted by line feeds). NoLF: the file has no line feed at all,
	// every line ends so.
	CR, NoLF bool
}

// CheckUTF8 returns nil if data is UTF-8 text (with or without a byte-order
// mark) with LF or CRLF line endings, and otherwise says where it is not
// and what it probably is: binary, UTF-16, old Mac line endings (CR), or
// text in a single-byte encoding.
func CheckUTF8(data []byte) *EncodingError {
	utf16 := isUTF16(data)
	if !utf16 && isBinary(data) {
		return &EncodingError{Line: 1, Col: 1, Binary: true}
	}
	if utf16 {
		return &EncodingError{Line: 1, Col: 1, UTF16: true}
	}
	if i := loneCR(data); i >= 0 {
		n := bytes.Count(data[:i], []byte("\n"))
		return &EncodingError{Line: 1 + n, Col: 1, CR: true, NoLF: n == 0 && bytes.IndexByte(data, '\n') < 0}
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
	switch {
	case e.Binary:
		return "the file is not a text file (it looks binary); give a TOML file, text of key = value lines"
	case e.CR && e.NoLF:
		return "the file has old Mac line endings (a carriage return, CR, alone ends each line), which TOML does not accept; save it with LF (Unix, macOS) or CRLF (Windows) line endings"
	case e.CR:
		return fmt.Sprintf("line %d has a carriage return (CR) not followed by a line feed, an old Mac line ending, which TOML does not accept; save the file with LF (Unix, macOS) or CRLF (Windows) line endings", e.Line)
	}
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
	return phrase.And(s)
}

// isUTF16 reports a UTF-16 byte-order mark, or text whose every other byte
// is NUL (UTF-16 without a mark: every ASCII or Latin-1 character has one,
// at the same place in each two bytes). A binary file has NUL bytes too,
// but not so regularly.
func isUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	sample := data[:min(len(data), sampleSize)&^1]
	if len(sample) < 2 {
		return false
	}
	var nul [2]int // NUL bytes at even and odd offsets
	for i, b := range sample {
		if b == 0 {
			nul[i&1]++
		}
	}
	units := len(sample) / 2
	hi, lo := max(nul[0], nul[1]), min(nul[0], nul[1])
	return hi*10 >= units*9 && lo*10 < units
}

// sampleSize is how much of a file isUTF16 and isBinary look at.
const sampleSize = 8192

// isBinary reports a file that is no text: one with a NUL byte (never in
// UTF-8 text; see isUTF16 for UTF-16), or in which more than one byte in
// ten of the first sampleSize is a control byte other than tab, line feed,
// form feed and carriage return (an ELF program, a gzip or zip archive).
func isBinary(data []byte) bool {
	sample := data[:min(len(data), sampleSize)]
	if bytes.IndexByte(sample, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, b := range sample {
		if (b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') || b == 0x7F {
			ctl++
		}
	}
	return ctl > 0 && ctl*10 > len(sample)
}

// loneCR returns the offset of the first carriage return that is not part
// of a CRLF line ending, or -1.
func loneCR(data []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			return -1
		}
		i += j
		if i+1 >= len(data) || data[i+1] != '\n' {
			return i
		}
		i += 2
	}
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
