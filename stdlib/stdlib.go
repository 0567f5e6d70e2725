// Package stdlib embeds vrun's Starlark library, loaded by recipes as
// load("@stdlib//name.star", "symbol").
package stdlib

import "embed"

// FS holds the library's .star files.
//
//go:embed *.star
var FS embed.FS
