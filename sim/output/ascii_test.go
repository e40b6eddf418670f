package output

import "testing"

// TestASCIIName: names in the characters of metric and file names, Norwegian
// and Sámi letters written without their marks (æ as ae).
func TestASCIIName(t *testing.T) {
	for in, want := range map[string]string{
		"0301": "0301", "T07": "T07", "T-07": "T_07", "Øst Land": "Ost_Land", "Bærum": "Baerum", "Tromsø": "Tromso",
		"Ås": "As", "A\u030as": "As", "Guovdageaidnu - Kautokeino": "Guovdageaidnu_Kautokeino", "Deatnu - Tana": "Deatnu_Tana",
		"Unjárga - Nesseby": "Unjarga_Nesseby", "Kárášjohka": "Karasjohka", "Đ ŋ ŧ": "D_n_t", "Ørland": "Orland", "--": "", "北": "",
	} {
		if got := ASCIIName(in); got != want {
			t.Errorf("ASCIIName(%q) = %q, want %q", in, got, want)
		}
	}
}
