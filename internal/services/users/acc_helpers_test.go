package users_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const (
	addr = "entracert_user_certificate_user_ids.test"
	// Values in Entra's forms.
	pnBob    = "X509:<PN>bob@contoso.com"
	skiBob   = "X509:<SKI>3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB"
	sha1Bob  = "X509:<SHA1-PUKEY>0EB255CC895477798BA418B378255204304897AD"
	serialOf = "X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>b24134139f069b49997212a86ba0ef48"
)

// errRe matches s in terraform's output, which wraps long lines anywhere a space was.
func errRe(s string) *regexp.Regexp {
	parts := strings.Fields(s)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// config is the resource for userID holding values.
func config(env *acctest.Env, userID string, values ...string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_user_certificate_user_ids" "test" {
  user_id              = %q
  certificate_user_ids = [%s]
}
`, userID, strings.Join(quoted, ", "))
}

// checkEmulatorUser asserts the emulator's user (not the state) holds exactly want.
func checkEmulatorUser(env *acctest.Env, idOrUPN string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := env.Emulator.User(idOrUPN)
		if !ok {
			return fmt.Errorf("the emulator has no user %s", idOrUPN)
		}
		got := slices.Clone(u.CertificateUserIDs)
		w := slices.Clone(want)
		slices.Sort(got)
		slices.Sort(w)
		if !slices.Equal(got, w) && (len(got) != 0 || len(w) != 0) {
			return fmt.Errorf("user %s holds %q, want %q", idOrUPN, got, w)
		}
		return nil
	}
}

// noPatch fails when any PATCH of a user reached the emulator.
func noPatch(t *testing.T, env *acctest.Env) {
	t.Helper()
	if n := env.Emulator.Count("PATCH", "/users/*"); n != 0 {
		t.Errorf("%d PATCH of users reached Graph, want none", n)
	}
}
