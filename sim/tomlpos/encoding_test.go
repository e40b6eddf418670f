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
	} {
		msg := CheckUTF8([]byte(c.data)).Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: message %q\nlacks %q", c.data, msg, w)
			}
		}
	}
}
