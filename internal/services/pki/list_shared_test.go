package pki_test

import (
	"net/http"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
)

// The list blocks of one query share the tenant's PKI list through the Graph layer: the PKIs, the CAs of every PKI
// and the CAs of one PKI cost one request per page of PKIs (here three pages of one), not one list per block.
//
// (A data source in the directory's .tf files does not share it: `terraform query` on Terraform 1.15 does not read
// data sources, so a query and a data source are never in one operation.)
func TestAccPKIList_listBlocksShareOneList(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	env.Emulator.SetPageSize(1)
	env.Emulator.ResetJournal()
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query: true,
		Config: env.QueryConfig(
			listBlock(pkiType, "all", false, ""),
			listBlock(caType, "all", false, ""),
			listBlock(caType, "contoso", false, `pki_id = "`+ten.Contoso.ID+`"`),
		),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(pkiListAll, 3),
			querycheck.ExpectLength(caListAll, 3),
			querycheck.ExpectLength(caType+".contoso", 2),
			env.JournalStatuses(http.MethodGet, pkiCollectionPath, []int{http.StatusOK, http.StatusOK, http.StatusOK}),
		},
	}))
}
