package tomlpos

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestCheckUTF8(t *testing.T) {
	le := func(s string) []byte { // UTF-16LE, as Notepad writes it
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	for _, c := range []struct {
		name string
		data []byte
		want *EncodingError // nil: UTF-8
	}{
		{"UTF-8", []byte("a = \"Bø\"\n"), nil},
		{"UTF-8 with a byte-order mark", []byte("\xEF\xBB\xBFa = \"Bø\"\n"), nil},
		{"Latin-1 ø", []byte("[x]\n\nregions = [\"B\xF8\"]\n"),
			&EncodingError{Line: 3, Col: 14, Byte: 0xF8, Charset: "Latin-1/Windows-1252", Char: "ø", Text: `regions = ["Bø"]`, Lines: []int{3}}},
		{"Latin-1 on several lines, CRLF", []byte("a = \"\xE5\"\r\nb = 1\r\nc = \"\xC6\xD8\"\r\nd = \"\xE6\"\r\n"),
			&EncodingError{Line: 1, Col: 6, Byte: 0xE5, Charset: "Latin-1/Windows-1252", Char: "å", Text: `a = "å"`, Lines: []int{1, 3, 4}}},
		// A file mostly UTF-8 with one Latin-1 byte: the UTF-8 letters stay.
		{"mixed", []byte("a = \"Tromsø og Bod\xF8\"\n"),
			&EncodingError{Line: 1, Col: 19, Byte: 0xF8, Charset: "Latin-1/Windows-1252", Char: "ø", Text: `a = "Tromsø og Bodø"`, Lines: []int{1}}},
		// æ, ø and å as an old Mac wrote them; in Windows-1252 they are ¾, ¿ and Œ.
		{"Mac OS Roman", []byte("a = \"\xBE\xBF\x8C\"\n"),
			&EncodingError{Line: 1, Col: 6, Byte: 0xBE, Charset: "Mac OS Roman", Char: "æ", Text: `a = "æøå"`, Lines: []int{1}}},
		{"not a letter", []byte("a = \"\xB0\"\n"),
			&EncodingError{Line: 1, Col: 6, Byte: 0xB0, Charset: "Latin-1/Windows-1252", Char: "", Text: `a = "°"`, Lines: []int{1}}},
		{"UTF-16 with a mark", append([]byte{0xFF, 0xFE}, le("a = 1\n")...), &EncodingError{Line: 1, Col: 1, UTF16: true}},
		{"UTF-16 without a mark", le("[scenario]\nyears = 1\n"), &EncodingError{Line: 1, Col: 1, UTF16: true}},
		{"UTF-16 without a mark, Norwegian", le("[scenario]\nname = \"Bodø\"\n"), &EncodingError{Line: 1, Col: 1, UTF16: true}},
		// A program or an archive is binary, not UTF-16 (an ELF program was called "UTF-16 text")
		// nor Latin-1 (a gzip file was reported under a key of its bytes).
		{"ELF program", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00\x01\x00\x00\x00\x40\x10\x40\x00\x00\x00\x00\x00"), &EncodingError{Line: 1, Col: 1, Binary: true}},
		{"gzip", []byte("\x1f\x8b\x08\x08\xa1\xb2\xc3\x64\x00\x03t.toml\x00\x8b\x2e\x4e\xce\x4b\x2c\xca\xcc\x8f\xe5\xca\x4b\xcc\x4d"), &EncodingError{Line: 1, Col: 1, Binary: true}},
		{"control bytes", []byte("\x01\x02\x03\x04abc\x05\x06"), &EncodingError{Line: 1, Col: 1, Binary: true}},
		// One stray control byte is the decoder's to report, at its line.
		{"one control byte", []byte("a = 1\nb = \"x\x01y\"\nc = 2\nd = 3\n"), nil},
		// Old Mac line endings: TOML takes LF and CRLF only.
		{"CR line endings", []byte("[scenario]\rname = \"t\"\r"), &EncodingError{Line: 1, Col: 1, CR: true, NoLF: true}},
		{"a lone CR", []byte("a = 1\r\nb = 2\r\nc = 3\rd = 4\r\n"), &EncodingError{Line: 3, Col: 1, CR: true}},
		{"CRLF", []byte("a = 1\r\nb = 2\r\n"), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CheckUTF8(c.data)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("CheckUTF8 = %#v\nwant %#v", got, c.want)
			}
		})
	}
}

func TestEncodingErrorMessage(t *testing.T) {
	for _, c := range []struct {
		data string
		want []string
	}{
		{"a = \"B\xF8\"\n", []string{`the file is not UTF-8 text: line 1 has the byte 0xF8, which is "ø" in Latin-1/Windows-1252`, "; save the file as UTF-8"}},
		{"a = \"\xE5\"\nb = 1\nc = \"\xE5\"\n", []string{"line 1 has the byte 0xE5", "(line 3 has such bytes too); save"}},
		{"a = \"\xE5\"\nc = \"\xE5\"\nc = \"\xE5\"\n", []string{"(lines 2 and 3 have such bytes too)"}},
		{"a = \"\xB0\"\n", []string{"line 1 has the byte 0xB0, which is no UTF-8 character; save the file as UTF-8"}},
		{"\xFF\xFEa\x00", []string{"UTF-16", "save the file as UTF-8"}},
		{"\x7fELF\x02\x01\x01\x00\x00", []string{"the file is not a text file (it looks binary); give a TOML file"}},
		{"a = 1\rb = 2\r", []string{"the file has old Mac line endings", "save it with LF (Unix, macOS) or CRLF (Windows) line endings"}},
		{"a = 1\nb = 2\rc = 3\n", []string{"line 2 has a carriage return (CR) not followed by a line feed", "save the file with LF (Unix, macOS) or CRLF (Windows) line endings"}},
	} {
		msg := CheckUTF8([]byte(c.data)).Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: message %q\nlacks %q", c.data, msg, w)
			}
		}
	}
}
