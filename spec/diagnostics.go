package spec

import (
	"io"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics renders diags for a terminal, the way Terraform does:
// severity and summary, the file and line with the enclosing block, the
// source lines with the subject highlighted (when color is set), the values
// of the variables involved, and the detail wrapped at width (0: no
// wrapping). files are the parsed files by name, normally Config.Files; a
// diagnostic in a file not among them is shown without a snippet.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File, width uint, color bool) error {
	return hcl.NewDiagnosticTextWriter(w, files, width, color).WriteDiagnostics(diags)
}
