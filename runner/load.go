package runner

import (
	"github.com/c2q/c2q/spec"
	"github.com/hashicorp/hcl/v2"
)

// Load reads the configuration at path (a directory or one file) and
// compiles it into a plan, as validate, plan and apply all do. The plan is
// nil when the diagnostics have errors; files are the sources, for
// rendering the diagnostics.
func Load(path string, opts spec.LoadOptions) (*Plan, map[string]*hcl.File, hcl.Diagnostics) {
	cfg, diags := spec.Load(path, opts)
	var files map[string]*hcl.File
	if cfg != nil {
		files = cfg.Files
	}
	if diags.HasErrors() {
		return nil, files, diags
	}
	plan, pdiags := NewPlan(cfg)
	diags = append(diags, pdiags...)
	if diags.HasErrors() {
		return nil, files, diags
	}
	return plan, files, diags
}
