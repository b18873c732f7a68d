package users_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Every bad value fails the plan, naming the value and the form expected, and nothing reaches Graph's PATCH.
func TestAccUserCertificateUserIDs_badFormatsFailAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com", pnBob)
	cases := []struct{ value, want string }{
		// PrincipalName and RFC822Name
		{"x509:<PN>bob@contoso.com", `"x509:<PN>bob@contoso.com" has the prefix "x509:<PN>", but Entra's prefixes are case-sensitive: write X509:<PN>`},
		{"X509:<Pn>bob@contoso.com", "write X509:<PN> (X509:<PN>{the certificate's SAN user principal name})"},
		{"X509:<PN>", `"X509:<PN>" has nothing after its prefix`},
		{"X509:<rfc822>bob@contoso.com", "write X509:<RFC822>"},
		{"X509:<RFC822>", "Expected X509:<RFC822>{the certificate's SAN e-mail address}"},
		// IssuerAndSubject and Subject
		{"X509:<i>CN=CA<S>CN=bob", "write X509:<I>"},
		{"X509:<I>CN=CA<s>CN=bob", "the <S> and <SR> markers are case-sensitive"},
		{"X509:<I>Contoso CA<S>CN=bob", "the issuer and the subject must both be DNs"},
		{"X509:<I>CN=CA", "neither <S>{subject DN} nor <SR>{serial number}"},
		{"X509:<s>CN=bob", "write X509:<S>"},
		{"X509:<S>bob", "Entra expects the certificate's subject DN"},
		// SKI and SHA1PublicKey
		{"X509:<ski>3DAB96BB", "write X509:<SKI>"},
		{"X509:<SKI>not-hex", "subject key identifier in hex, two digits per byte"},
		{"X509:<SKI>ABC", "two digits per byte"},
		{"X509:<Sha1-PuKey>0EB255CC895477798BA418B378255204304897AD", "write X509:<SHA1-PUKEY>"},
		{"X509:<SHA1-PUKEY>0EB255CC", "SHA-1 thumbprint, 40 hex digits"},
		// IssuerAndSerialNumber
		{"X509:<I>CN=CA<sr>0a1b", "markers are case-sensitive"},
		{"X509:<I>CN=CA<SR>zz", "serial number in hex"},
		// no form at all, blanks, length
		{"bob@contoso.com", `"bob@contoso.com" is in none of Entra's certificateUserIds forms`},
		{"X509:<UPN>bob@contoso.com", "none of Entra's certificateUserIds forms"},
		{"X509:<PN>bob@contoso.com ", "starts or ends with blanks"},
		{"", "An empty value matches no certificate"},
		{"X509:<PN>" + strings.Repeat("b", 1016), "is 1025 characters long: Entra accepts at most 1024"},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      config(env, id, pnBob, tc.value),
			ExpectError: errRe(tc.want),
		})
	}
	var eleven []string
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("X509:<PN>user%d@contoso.com", i))
	}
	steps = append(steps,
		resource.TestStep{Config: config(env, id, eleven...), ExpectError: errRe("11 values: Entra holds at most 10 certificateUserIds per user")},
		resource.TestStep{Config: config(env, id, skiBob, strings.ToLower(skiBob[:10])+skiBob[10:]),
			ExpectError: errRe("differ only in letter case")},
		resource.TestStep{Config: config(env, id, "X509:<SKI>3dab96bbdac9e8d9959f2ccabd927cb4039589db", skiBob),
			ExpectError: errRe("differ only in letter case")},
	)
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.ProtoV6ProviderFactories, Steps: steps})
	noPatch(t, env)
	checkUnchanged(t, env, id, pnBob)
}

// Ten values are allowed, 1024 characters too: the limits are not off by one.
func TestAccUserCertificateUserIDs_limitsAreInclusive(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	var ten []string
	for i := range 9 {
		ten = append(ten, fmt.Sprintf("X509:<PN>user%d@contoso.com", i))
	}
	ten = append(ten, "X509:<PN>"+strings.Repeat("b", 1015))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps:                    []resource.TestStep{{Config: config(env, id, ten...), Check: checkEmulatorUser(env, id, ten...)}},
	})
}

// A bad user_id fails at plan naming the forms; a user that does not exist fails at plan too. No PATCH.
func TestAccUserCertificateUserIDs_badUserIDFailsAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.AddUser("bob@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(env, "", pnBob), ExpectError: errRe("user_id is empty: set it to the user's object ID")},
			{Config: config(env, "bob", pnBob), ExpectError: errRe(`user_id "bob" is neither a GUID nor a user principal name`)},
			{Config: config(env, " bob@contoso.com", pnBob), ExpectError: errRe("starts or ends with blanks")},
			{Config: config(env, "nobody@contoso.com", pnBob), ExpectError: errRe(`Graph has no user "nobody@contoso.com"`)},
			{Config: config(env, "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10", pnBob), ExpectError: errRe("User not found")},
		},
	})
	noPatch(t, env)
}

// Bad import IDs: empty, malformed, a UPN nobody has.
func TestAccUserCertificateUserIDs_badImportIDs(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	step := func(importID, want string) resource.TestStep {
		return resource.TestStep{Config: config(env, id, pnBob) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", addr, importID),
			ExpectError: errRe(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step("not-a-user", `The import ID is neither a GUID nor a user principal name (got "not-a-user")`),
			step("6b2d3bd3-b078-4f46-ac53", "is neither a GUID nor a user principal name"),
			step("nobody@contoso.com", `Graph has no user with user principal name "nobody@contoso.com"`),
			step(" bob@contoso.com", "starts or ends with blanks"),
		},
	})
	noPatch(t, env)
}

// checkUnchanged asserts, after a test, that the user still holds want.
func checkUnchanged(t *testing.T, env *acctest.Env, idOrUPN string, want ...string) {
	t.Helper()
	if err := checkEmulatorUser(env, idOrUPN, want...)(nil); err != nil {
		t.Error(err)
	}
}

// A value unknown at plan time (from another resource) is checked before anything is sent: the apply fails on it,
// naming it, and no PATCH reaches Graph.
func TestAccUserCertificateUserIDs_valueKnownOnlyAtApplyIsChecked(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com", pnBob)
	cfg := env.ProviderConfig() + fmt.Sprintf(`
resource "terraform_data" "value" {
  input = "x509:<SKI>3DAB96BB"
}

resource "entracert_user_certificate_user_ids" "test" {
  user_id              = %q
  certificate_user_ids = [terraform_data.value.output]
}
`, id)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: cfg, ExpectError: errRe(`"x509:<SKI>3DAB96BB" has the prefix "x509:<SKI>", but Entra's prefixes are case-sensitive`)}},
	})
	noPatch(t, env)
	checkUnchanged(t, env, id, pnBob)
}
