package graphemu

// SeedObject is one object Seed created.
type SeedObject struct {
	ID          string
	DisplayName string
}

// SeedResult lists what Seed created.
type SeedResult struct {
	APIConnectors []SeedObject
	PKIs          []SeedObject
}

// seedConnectors are the basic-auth API connectors Seed creates (names as a B2C tenant might have them).
var seedConnectors = []struct{ name, target, user string }{
	{"Contoso sign-up validation", "https://api.contoso.example/signup/validate", "contoso-signup"},
	{"Contoso token enrichment", "https://api.contoso.example/token/enrich", "contoso-token"},
	{"Fabrikam age gate", "https://api.fabrikam.example/agegate", "fabrikam-agegate"},
}

// Seed creates a few basic-auth API connectors and one empty PKI, visible at once (no read-after-write lag),
// for the demo and for users' own CI.
func (e *Emulator) Seed() SeedResult {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clk.Now()
	var res SeedResult
	for _, s := range seedConnectors {
		con := &connector{
			id: newGUID(), displayName: s.name, targetURL: s.target, visibleAt: now,
			auth: authBasicKind, username: s.user, password: "seeded-" + s.user,
		}
		e.connectors[con.id] = con
		e.connectorOrder = append(e.connectorOrder, con.id)
		res.APIConnectors = append(res.APIConnectors, SeedObject{ID: con.id, DisplayName: con.displayName})
	}
	p := e.newPKI("Contoso PKI", now, now)
	res.PKIs = append(res.PKIs, SeedObject{ID: p.id, DisplayName: p.displayName})
	return res
}
