package pki_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
)

const (
	caType    = "entracert_certificate_based_auth_certificate_authority"
	caListAll = caType + ".all"
)

func caIdentityOf(pkiID, thumbprint string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"pki_id": knownvalue.StringExact(pkiID), "thumbprint": knownvalue.StringExact(thumbprint)}
}

// The CAs of every PKI, uploaded or added one by one, are listed by subject, expiry and PKI with their identity, and
// with include_resource their whole state (the certificate as PEM, the settings an admin changed); pki_id keeps
// one PKI's CAs, and a PKI without CAs lists none.
func TestAccCAList_existingTenant(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	root, issuing, fabrikam := fixtureFacts(t, "root-ca.pem"), fixtureFacts(t, "intermediate-ca.pem"), fixtureFacts(t, "other-root-ca.pem")
	if fabrikam.Thumbprint != testfixtures.FabrikamRootThumbprint {
		t.Fatalf("other-root-ca.pem is %s, not the Fabrikam root of fabrikam-pki.p7b", fabrikam.Thumbprint)
	}
	named := func(subject string, expires time.Time, pkiName string) knownvalue.Check {
		return knownvalue.StringExact(subject + " (expires " + expires.UTC().Format(time.DateOnly) + ") in PKI " + pkiName)
	}
	pem := knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$`))
	contosoOnly := caType + ".contoso"
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query: true,
		Config: env.QueryConfig(
			listBlock(caType, "all", true, ""),
			listBlock(caType, "contoso", false, `pki_id = "`+strings.ToUpper(ten.Contoso.ID)+`"`),
			listBlock(caType, "empty", false, `pki_id = "`+ten.Empty.ID+`"`),
		),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(caListAll, 3),
			querycheck.ExpectIdentity(caListAll, caIdentityOf(ten.Contoso.ID, root.Thumbprint)),
			querycheck.ExpectIdentity(caListAll, caIdentityOf(ten.Contoso.ID, issuing.Thumbprint)),
			querycheck.ExpectIdentity(caListAll, caIdentityOf(ten.Fabrikam.ID, fabrikam.Thumbprint)),
			namedAs(caListAll, caIdentityOf(ten.Contoso.ID, root.Thumbprint), named(root.Subject, root.NotAfter, ten.Contoso.DisplayName)),
			namedAs(caListAll, caIdentityOf(ten.Fabrikam.ID, fabrikam.Thumbprint), named(fabrikam.Subject, fabrikam.NotAfter, ten.Fabrikam.DisplayName)),
			resultWith(caListAll, caIdentityOf(ten.Contoso.ID, issuing.Thumbprint), map[string]knownvalue.Check{
				"id":                              knownvalue.StringExact(ten.Contoso.ID + "/" + issuing.Thumbprint),
				"pki_id":                          knownvalue.StringExact(ten.Contoso.ID),
				"certificate":                     pem,
				"certificate_authority_type":      knownvalue.StringExact("intermediate"),
				"certificate_revocation_list_url": knownvalue.StringExact(testfixtures.ContosoIntermediateCRLURL),
				"is_issuer_hint_enabled":          knownvalue.Bool(false),
				"thumbprint":                      knownvalue.StringExact(issuing.Thumbprint),
				"subject_key_identifier":          knownvalue.StringExact(issuing.SubjectKeyIdentifier),
				"expiration_date_time":            knownvalue.StringExact(issuing.NotAfter.UTC().Format(time.RFC3339)),
			}),
			resultWith(caListAll, caIdentityOf(ten.Fabrikam.ID, fabrikam.Thumbprint), map[string]knownvalue.Check{
				"certificate_authority_type":            knownvalue.StringExact("root"),
				"is_issuer_hint_enabled":                knownvalue.Bool(true),
				"delta_certificate_revocation_list_url": knownvalue.StringExact(fabrikamDeltaCRL),
				"certificate_authority_id":              knownvalue.NotNull(),
			}),
			// pki_id in another letter case names the same PKI.
			querycheck.ExpectLength(contosoOnly, 2),
			querycheck.ExpectIdentity(contosoOnly, caIdentityOf(ten.Contoso.ID, root.Thumbprint)),
			querycheck.ExpectIdentity(contosoOnly, caIdentityOf(ten.Contoso.ID, issuing.Thumbprint)),
			querycheck.ExpectLength(caType+".empty", 0),
		},
	}))
}

// A pki_id that is not a GUID fails validation, and one Graph does not have fails the query naming pki_id: neither
// reads the CAs of any PKI.
func TestAccCAList_badPKIID(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.ResetJournal()
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			Query:       true,
			Config:      env.QueryConfig(listBlock(caType, "bad", false, `pki_id = "Contoso PKI"`)),
			ExpectError: regexp.MustCompile(`Invalid PKI ID[\s\S]*pki_id must be the ID of a PKI, a GUID`),
		},
		resource.TestStep{
			Query:       true,
			Config:      env.QueryConfig(listBlock(caType, "missing", false, `pki_id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"`)),
			ExpectError: regexp.MustCompile(`No such PKI[\s\S]*Graph has no PKI with ID 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10[\s\S]*Set pki_id to the ID of an existing PKI`),
		},
	))
	if n := env.Emulator.Count(http.MethodGet, caCollectionPath); n != 0 {
		t.Errorf("bad pki_id values read %d CA lists, want 0", n)
	}
}

// More CAs than one page: both pages are read, one request each.
func TestAccCAList_pages(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	const n = 120
	p := env.CreatePKI(t, "Big PKI")
	thumbprints := generatedCAs(t, env, p.ID, n)
	env.Emulator.ResetJournal()
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query:  true,
		Config: env.QueryConfig(listBlock(caType, "all", false, `pki_id = "`+p.ID+`"`)),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(caListAll, n),
			querycheck.ExpectIdentity(caListAll, caIdentityOf(p.ID, thumbprints[0])),
			namedAs(caListAll, caIdentityOf(p.ID, thumbprints[n-1]), knownvalue.StringRegexp(regexp.MustCompile(`^CN=Generated CA 119 \(expires `))),
			env.JournalStatuses(http.MethodGet, caCollectionPath, []int{http.StatusOK, http.StatusOK}),
		},
	}))
}

// A 504 on a PKI's CA list is retried (Graph's transient status); a 500, which the Graph layer does not re-send, fails
// the query at once naming the PKI, and the next query lists again.
func TestAccCAList_serverErrors(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	contoso := env.QueryConfig(listBlock(caType, "all", false, `pki_id = "`+ten.Contoso.ID+`"`))
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.ResetJournal()
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: caCollectionPath, Status: http.StatusGatewayTimeout})
			},
			Query:  true,
			Config: contoso,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(caListAll, 2),
				env.JournalStatuses(http.MethodGet, caCollectionPath, []int{http.StatusGatewayTimeout, http.StatusOK}),
			},
		},
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.ResetJournal()
				// One 500 is retried like any read (issue 17); a lasting one fails the query.
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: caCollectionPath, Status: http.StatusInternalServerError, Probability: 1})
			},
			Query:  true,
			Config: env.QueryConfig(listBlock(caType, "all", false, "")),
			ExpectError: regexp.MustCompile(`Cannot list the certificate authorities[\s\S]*Listing the certificate authorities of PKI ` +
				`[\s\S]*500[\s\S]*Run terraform query again once Graph answers`),
		},
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.ClearFaults()
				env.Emulator.ResetJournal()
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: caCollectionPath, Status: http.StatusInternalServerError})
			},
			Query:  true,
			Config: contoso,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(caListAll, 2),
				// One 500, then the read is sent again and answered.
				env.JournalStatuses(http.MethodGet, caCollectionPath, []int{http.StatusInternalServerError, http.StatusOK}),
			},
		},
	))
}
