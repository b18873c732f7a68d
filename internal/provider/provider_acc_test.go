package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Configuration problems reach the user through real terraform as errors naming the attribute.
func TestAccProviderConfigurationErrors(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	dataSource := `
data "entracert_certificate_based_auth_pki" "x" {
  id = "00000000-0000-0000-0000-000000000000"
}
`
	cases := map[string]struct {
		provider string
		want     string
	}{
		"plain http to a remote host": {
			`provider "entracert" {
  graph_endpoint = "http://graph.contoso.example"
  access_token   = "t"
}`, `plain http to a host that is not loopback`,
		},
		"unknown environment": {
			`provider "entracert" {
  environment  = "mars"
  access_token = "t"
}`, `unknown environment "mars": use one of china, public, usgovernmentl4, usgovernmentl5`,
		},
		"partner_id not a GUID": {
			`provider "entracert" {
  partner_id   = "contoso"
  access_token = "t"
}`, `must be a GUID (e.g. 00000000-0000-0000-0000-000000000000) registered with Microsoft`,
		},
		"wrong token": {
			fmt.Sprintf(`provider "entracert" {
  graph_endpoint = %q
  access_token   = "not-the-emulator-token"
}`, env.Endpoint), `401 InvalidAuthenticationToken`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      c.provider + dataSource,
					ExpectError: wrapped(c.want),
				}},
			})
		})
	}
}

// A 401 from Graph carries Graph's code and request-id into the diagnostic.
func TestAccProviderUnauthorizedShowsRequestID(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`provider "entracert" {
  graph_endpoint = %q
  access_token   = "wrong"
}
data "entracert_certificate_based_auth_pki" "x" {
  display_name = "anything"
}
`, env.Endpoint),
			ExpectError: regexp.MustCompile(`request-id [0-9a-f-]{36}`),
		}},
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
