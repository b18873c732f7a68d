package functions_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// functionTest runs steps through real terraform; functions need no Graph, but the harness gives the factories.
func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	env := acctest.New(t, graphemu.Options{})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

// wrapped matches text that terraform may have wrapped across lines.
func wrapped(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// hcl quotes s as an HCL string (the PEM's newlines included).
func hcl(s string) string { return fmt.Sprintf("%q", s) }

// heredoc keeps a long base64 value out of a single HCL line.
func heredoc(s string) string { return "trimspace(<<-EOT\n" + s + "\nEOT\n)" }
