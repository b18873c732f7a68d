package policy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/crlcheck"
	"github.com/entracert/terraform-provider-entracert/internal/download"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// The CRL pre-flight: with CRL validation enabled, Entra downloads the CRL of every CA it does not exempt, and fails
// every sign-in with a CA's certificates when that CRL is unreachable, expired, wrongly signed, too large or without
// an authority key identifier. The plan downloads each CRL as Entra would (crlcheck) and warns about each such CA. It
// never blocks: a CRL can be fixed after the policy is applied, and the runner may not reach what Entra reaches
// (the provider's skip_crl_preflight turns the downloads off).

// crlPreflightParallel bounds the concurrent CRL downloads of one plan.
const crlPreflightParallel = 4

// crlTargets are the CAs whose CRL Entra will download: the trust store's and those planned in this run (a planned
// CA replaces the trust store's record of the same thumbprint), each with a CRL URL and not exempted. CAs without a
// CRL URL are checkTrustStore's.
func crlTargets(p plannedPolicy, cas []trustedCA, planned []clients.PlannedCA) []crlcheck.CA {
	exempt := func(skis ...string) bool {
		for _, e := range p.Exempted {
			for _, ski := range skis {
				if e.Known && ski != "" && strings.EqualFold(e.S, ski) {
					return true
				}
			}
		}
		return false
	}
	byThumb := map[string]crlcheck.CA{}
	var order []string
	add := func(key string, ca crlcheck.CA) {
		if _, ok := byThumb[key]; !ok {
			order = append(order, key)
		}
		byThumb[key] = ca
	}
	for _, c := range cas {
		key := strings.ToUpper(c.Thumbprint)
		if key == "" {
			key = c.PKIID + "/" + c.DisplayName
		}
		if c.CRLURL == "" || exempt(c.SKI, c.IssuerSKI) {
			continue
		}
		subject := c.Subject
		if subject == "" {
			subject = c.DisplayName
		}
		ski := c.SKI
		if ski == "" {
			ski = c.IssuerSKI
		}
		add(key, crlcheck.CA{Subject: subject, Thumbprint: c.Thumbprint, SKI: ski, DER: c.DER, CRLURL: c.CRLURL})
	}
	for _, c := range planned {
		key := strings.ToUpper(c.Thumbprint)
		if c.CRLURL == "" || exempt(c.SKI) {
			delete(byThumb, key) // the CA planned in this run has no CRL (or is exempted) now
			continue
		}
		add(key, crlcheck.CA{Subject: c.Subject, Thumbprint: c.Thumbprint, SKI: c.SKI, DER: c.DER, CRLURL: c.CRLURL})
	}
	out := make([]crlcheck.CA, 0, len(byThumb))
	for _, k := range order {
		if ca, ok := byThumb[k]; ok {
			out = append(out, ca)
		}
	}
	return out
}

// crlEnabled reports whether the plan enables CRL validation with every exemption known (the pre-flight's condition).
func crlEnabled(p plannedPolicy) bool {
	if !p.CRLState.Known || p.CRLState.S != "enabled" || p.Exempted == nil {
		return false
	}
	for _, e := range p.Exempted {
		if !e.Known {
			return false
		}
	}
	return true
}

// crlPreflight downloads (under policy) and checks the CRL of each target (at most crlPreflightParallel at a time) and
// returns one warning per CA whose CRL Entra could not use, in a stable order.
func crlPreflight(ctx context.Context, policy download.Policy, targets []crlcheck.CA, limit int64, now time.Time) []finding {
	type result struct {
		ca       crlcheck.CA
		problems []crlcheck.Problem
	}
	results := make([]result, len(targets))
	sem := make(chan struct{}, crlPreflightParallel)
	var wg sync.WaitGroup
	for i, ca := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = result{ca, crlcheck.Check(ctx, policy, ca, limit, now)}
		}()
	}
	wg.Wait()
	var out []finding
	for _, r := range results {
		if len(r.problems) > 0 {
			out = append(out, crlFinding(r.ca, r.problems))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Detail < out[j].Detail })
	return out
}

// crlFinding is the warning for one CA: the CA (subject, thumbprint, SKI), the URL, what is wrong and what Entra does.
func crlFinding(ca crlcheck.CA, problems []crlcheck.Problem) finding {
	var b strings.Builder
	fmt.Fprintf(&b, "CA %q (thumbprint %s, subject key identifier %s), CRL %s:", ca.Subject, orUnknown(ca.Thumbprint), orUnknown(strings.ToUpper(ca.SKI)),
		download.SafeURLString(ca.CRLURL))
	fetchFailed := false
	for _, p := range problems {
		fmt.Fprintf(&b, " %s", p.What)
		fetchFailed = fetchFailed || p.Download
	}
	fmt.Fprintf(&b, " %s", problems[len(problems)-1].Entra)
	b.WriteString(" Fix the CRL (or exempt the CA: add its subject key identifier to " +
		"crl_validation.exempted_certificate_authority_subject_key_identifiers) before users sign in with its certificates.")
	if fetchFailed {
		b.WriteString(" If only this runner cannot reach the CRL's host, set skip_crl_preflight = true in the provider block " +
			"(or ENTRACERT_SKIP_CRL_PREFLIGHT=true).")
	}
	return finding{Path: path.Root("crl_validation").AtName("state"), Summary: "Entra could not use a CA's CRL", Detail: b.String()}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// crlLimit is Entra's CRL size limit in the provider's cloud.
func crlLimit(c *clients.Client) int64 { return crlcheck.MaxSizeFor(c.Environment) }

// preflightPlannedOnly is the pre-flight of a policy that does not change (plan equals state): it checks only the
// CAs that resources of this run plan to add or change, whose CRLs Entra will download once they are applied.
func (r *policyResource) preflightPlannedOnly(ctx context.Context, plan tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.client == nil || r.client.SkipCRLPreflight {
		return nil
	}
	planned := clients.PlannedCADetailsOf(r.client).All()
	if len(planned) == 0 {
		return nil
	}
	var m policyResourceModel
	if d := plan.Get(ctx, &m); d.HasError() {
		return nil
	}
	p := plannedFrom(ctx, m.policyModel)
	if !crlEnabled(p) {
		return nil
	}
	addFindings(&diags, crlPreflight(ctx, r.client.Downloads, crlTargets(p, nil, planned), crlLimit(r.client), r.client.Clock.Now()))
	return diags
}

// preflight is the pre-flight of a policy that changes: every CA of the trust store and of this run's plans.
func (r *policyResource) preflight(ctx context.Context, p plannedPolicy, cas []trustedCA) []finding {
	if r.client == nil || r.client.SkipCRLPreflight || !crlEnabled(p) {
		return nil
	}
	return crlPreflight(ctx, r.client.Downloads, crlTargets(p, cas, clients.PlannedCADetailsOf(r.client).All()), crlLimit(r.client), r.client.Clock.Now())
}
