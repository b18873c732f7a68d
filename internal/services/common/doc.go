// Package common is the shape every resource of the services shares: the operation preamble (client guard,
// timeout, deadline), the identity helper, the import-ID parser and the mapping of Graph's error kinds to
// diagnostics. It sits beside the services rather than in internal/clients because it speaks Terraform's request
// types (timeouts, identities, import requests, diagnostics), while clients holds only what one configured
// provider instance owns.
package common
