package apiconnector

import (
	"context"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// planReadTimeout bounds the plan-time look at the connector behind connectorWarnings.
const planReadTimeout = time.Minute

// connectorWarnings says at plan time what Graph will do with a certificate this plan puts on a connector: a
// connector on basic authentication leaves it, and a certificate already listed while another one is active is
// adopted without becoming active (Graph keeps the most recently uploaded valid certificate). The look is a
// cached read (refresh has usually made it); when it fails, apply reports the problem.
func (r *certificateResource) connectorWarnings(ctx context.Context, connectorID, thumbprint, pfxAttr string) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.client == nil || r.client.Graph == nil {
		return diags // provider configuration unknown while planning
	}
	ctx, cancel := context.WithTimeout(ctx, planReadTimeout)
	defer cancel()
	conn, err := r.client.Graph.GetAPIConnectorCached(ctx, connectorID)
	if err != nil {
		tflog.Debug(ctx, "could not read the API connector while planning; apply will report it",
			map[string]any{"api_connector_id": connectorID, "error": err.Error()})
		return diags
	}
	if conn.AuthenticationType != graph.AuthenticationCertificate {
		diags.AddAttributeWarning(path.Root(attrAPIConnectorID), "The API connector leaves basic authentication",
			fmt.Sprintf("API connector %s uses basic authentication now. Applying puts the certificate %s on it and switches "+
				"it to client certificate authentication: Graph drops its basic-authentication username and password, and "+
				"the connector's REST API must accept the certificate from then on.", connectorID, thumbprint))
		return diags
	}
	info := findCertificate(conn, thumbprint)
	active := activeCertificate(conn)
	if info != nil && !info.IsActive && active != nil {
		diags.AddAttributeWarning(path.Root(pfxAttr), "The certificate is already on the API connector but is not active",
			fmt.Sprintf("API connector %s already lists the certificate %s, so applying adopts it without uploading it, and "+
				"Graph keeps using the active certificate %s (the most recently uploaded valid one). Graph cannot make an "+
				"older certificate active again: to roll back, upload a newer certificate (a renewed one), or switch the "+
				"connector to basic authentication and upload again.", connectorID, thumbprint, active.Thumbprint))
	}
	return diags
}
