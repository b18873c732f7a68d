package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
)

// cloud is one Entra national cloud: where Graph lives, where tokens come from, and which scope to ask for.
type cloud struct {
	Name      string // canonical environment name
	GraphRoot string
	Authority string
}

// Scope is the token scope for Graph in this cloud.
func (c cloud) Scope() string { return c.GraphRoot + "/.default" }

var clouds = map[string]cloud{
	clients.CloudPublic:         {clients.CloudPublic, "https://graph.microsoft.com", "https://login.microsoftonline.com/"},
	clients.CloudUSGovernmentL4: {clients.CloudUSGovernmentL4, "https://graph.microsoft.us", "https://login.microsoftonline.us/"},
	clients.CloudUSGovernmentL5: {clients.CloudUSGovernmentL5, "https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
	clients.CloudChina:          {clients.CloudChina, "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/"},
}

// cloudAliases are the other names azuread and the Azure tooling accept.
var cloudAliases = map[string]string{
	"global":       clients.CloudPublic,
	"usgovernment": clients.CloudUSGovernmentL4,
	"dod":          clients.CloudUSGovernmentL5,
}

// lookupCloud resolves an environment name or alias, case-insensitively; "" means public.
func lookupCloud(name string) (cloud, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		key = clients.CloudPublic
	}
	if canonical, ok := cloudAliases[key]; ok {
		key = canonical
	}
	if c, ok := clouds[key]; ok {
		return c, nil
	}
	return cloud{}, fmt.Errorf("unknown environment %q: use one of %s", name, validCloudNames())
}

func validCloudNames() string {
	var names []string
	for n := range clouds {
		names = append(names, n)
	}
	sort.Strings(names)
	var aliases []string
	for a, c := range cloudAliases {
		aliases = append(aliases, fmt.Sprintf("%s (= %s)", a, c))
	}
	sort.Strings(aliases)
	return strings.Join(names, ", ") + "; aliases " + strings.Join(aliases, ", ")
}
