// Package targets embeds the calibration targets shipped with Settle, so
// that settle fit compares a run with Norway's facts from any folder, not
// only from the repository root where targets/norway.toml lies.
package targets

import _ "embed"

// Norway is targets/norway.toml: the facts of MODEL.md the default
// behaviour is calibrated against.
//
//go:embed norway.toml
var Norway []byte
