package main

import (
	"context"
	"flag"
	"log"

	"github.com/entracert/terraform-provider-entracert/internal/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// version is set by release ldflags (-X main.version=...).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/entracert/entracert",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
