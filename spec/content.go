package spec

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// homes says where an argument or block that has a single place in the
// language belongs, for a hint when it is written somewhere else.
var homes = map[string]string{
	"variable":    "at the top level of a file",
	"chat2query":  "at the top level of a file",
	"session":     "at the top level of a file",
	"question":    "inside a session block",
	"expect":      "inside a question block",
	"cluster_id":  "inside a session block",
	"database":    "inside a session block",
	"ask":         "inside a question block",
	"mode":        "inside a question block",
	"sql":         "inside an expect block",
	"url":         "inside the chat2query block",
	"public_key":  "inside the chat2query block",
	"private_key": "inside the chat2query block",
}

// bodyContent is body.Content(schema) with better reports of what the schema
// does not allow: HCL does not suggest an argument that is already set
// (so "clustr_id" next to "cluster_id" gets no hint) and reports unsupported
// arguments in map order. Here every unsupported name gets the closest
// schema name, or where it belongs, and the reports are in source order.
func bodyContent(body hcl.Body, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return body.Content(schema)
	}
	content, _, diags := sb.PartialContent(schema)

	attrNames := make([]string, 0, len(schema.Attributes))
	for _, a := range schema.Attributes {
		attrNames = append(attrNames, a.Name)
	}
	blockTypes := make([]string, 0, len(schema.Blocks))
	for _, b := range schema.Blocks {
		blockTypes = append(blockTypes, b.Type)
	}

	var unsupported hcl.Diagnostics
	for name, attr := range sb.Attributes {
		if _, ok := content.Attributes[name]; ok {
			continue
		}
		hint := didYouMean(name, attrNames)
		switch {
		case hint != "":
		case slices.Contains(blockTypes, name):
			hint = fmt.Sprintf(" Did you mean to define a block of type %q?", name)
		case homes[name] != "":
			hint = fmt.Sprintf(" The %q argument belongs %s.", name, homes[name])
		}
		unsupported = append(unsupported, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported argument",
			Detail:   fmt.Sprintf("An argument named %q is not expected here.%s", name, hint),
			Subject:  attr.NameRange.Ptr(),
		})
	}
	for _, block := range sb.Blocks {
		if slices.Contains(blockTypes, block.Type) {
			continue
		}
		hint := didYouMean(block.Type, blockTypes)
		switch {
		case hint != "":
		case slices.Contains(attrNames, block.Type):
			hint = fmt.Sprintf(" Did you mean to define argument %q? If so, use the equals sign to assign it a value.", block.Type)
		case homes[block.Type] != "":
			hint = fmt.Sprintf(" A %s block belongs %s.", block.Type, homes[block.Type])
		}
		unsupported = append(unsupported, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported block type",
			Detail:   fmt.Sprintf("Blocks of type %q are not expected here.%s", block.Type, hint),
			Subject:  block.TypeRange.Ptr(),
		})
	}
	sort.SliceStable(unsupported, func(i, j int) bool {
		return unsupported[i].Subject.Start.Byte < unsupported[j].Subject.Start.Byte
	})
	return content, append(diags, unsupported...)
}
