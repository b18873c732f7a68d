package pki_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
)

const (
	pkiType    = "entracert_certificate_based_auth_pki"
	pkiListAll = pkiType + ".all"
)

func pkiID(id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}
}

// Every PKI of an existing tenant is listed by name with its identity and, with include_resource, its state; the
// display_name filter keeps only the PKI of that exact name.
func TestAccPKIList_existingTenant(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query: true,
		Config: env.QueryConfig(
			listBlock(pkiType, "all", true, ""),
			listBlock(pkiType, "contoso", false, `display_name = "`+ten.Contoso.DisplayName+`"`),
			listBlock(pkiType, "nobody", false, `display_name = "No such PKI"`),
		),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(pkiListAll, 3),
			querycheck.ExpectIdentity(pkiListAll, pkiID(ten.Contoso.ID)),
			querycheck.ExpectIdentity(pkiListAll, pkiID(ten.Fabrikam.ID)),
			querycheck.ExpectIdentity(pkiListAll, pkiID(ten.Empty.ID)),
			namedAs(pkiListAll, pkiID(ten.Contoso.ID), knownvalue.StringExact(ten.Contoso.DisplayName)),
			namedAs(pkiListAll, pkiID(ten.Empty.ID), knownvalue.StringExact(ten.Empty.DisplayName)),
			resultWith(pkiListAll, pkiID(ten.Fabrikam.ID), map[string]knownvalue.Check{
				"id":                pkiIDCheck(ten.Fabrikam.ID),
				"display_name":      knownvalue.StringExact(ten.Fabrikam.DisplayName),
				"status":            knownvalue.StringExact("succeeded"),
				"deleted_date_time": knownvalue.Null(),
				"timeouts":          knownvalue.Null(),
			}),
			querycheck.ExpectLength(pkiType+".contoso", 1),
			querycheck.ExpectIdentity(pkiType+".contoso", pkiID(ten.Contoso.ID)),
			querycheck.ExpectLength(pkiType+".nobody", 0),
		},
	}))
}

func pkiIDCheck(id string) knownvalue.Check { return knownvalue.StringExact(id) }

// A tenant without PKIs lists none, and says so without an error.
func TestAccPKIList_emptyTenant(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query:  true,
		Config: env.QueryConfig(listBlock(pkiType, "all", true, ""), listBlock(caType, "all", true, "")),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(pkiListAll, 0),
			querycheck.ExpectLength(caListAll, 0),
		},
	}))
}

// More PKIs than one page: every page is read, one request each, following @odata.nextLink.
func TestAccPKIList_pages(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	const n = 130 // the emulator answers 100 per page, as Graph does by default
	var first, last string
	for i := range n {
		p := env.CreatePKI(t, "Paged PKI")
		if i == 0 {
			first = p.ID
		}
		last = p.ID
	}
	env.Emulator.ResetJournal()
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query:  true,
		Config: env.QueryConfig(listBlock(pkiType, "all", false, "")),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(pkiListAll, n),
			querycheck.ExpectIdentity(pkiListAll, pkiID(first)),
			querycheck.ExpectIdentity(pkiListAll, pkiID(last)),
		},
	}))
	if got := env.Emulator.Count(http.MethodGet, pkiCollectionPath); got != 2 {
		t.Errorf("listing %d PKIs took %d GET requests of the collection, want 2 (one per page)", n, got)
	}
}

// A 429 on the list is waited out (Retry-After) and the list is complete; a Graph that keeps failing (5xx) fails
// the query with what was being read and what to do.
func TestAccPKIList_throttledAndFailing(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.ResetJournal()
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: pkiCollectionPath, Status: http.StatusTooManyRequests, RetryAfter: "3"})
			},
			Query:  true,
			Config: env.QueryConfig(listBlock(pkiType, "all", false, "")),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(pkiListAll, 3),
				querycheck.ExpectIdentity(pkiListAll, pkiID(ten.Contoso.ID)),
				env.JournalStatuses(http.MethodGet, pkiCollectionPath, []int{http.StatusTooManyRequests, http.StatusOK}),
			},
		},
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: pkiCollectionPath, Status: http.StatusServiceUnavailable, Count: 100})
			},
			Query:       true,
			Config:      env.QueryConfig(listBlock(pkiType, "all", false, "")),
			ExpectError: regexp.MustCompile(`Cannot list the PKIs[\s\S]*Listing the tenant's PKIs[\s\S]*503[\s\S]*Run terraform query again once Graph answers`),
		},
	))
}
