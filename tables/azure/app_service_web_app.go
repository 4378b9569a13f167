package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

const (
	webAppType = "microsoft.web/sites"
	// webAPIVersion is the Microsoft.Web API version of the site
	// configuration call.
	webAPIVersion = "2024-04-01"
)

func init() {
	register(&tables.Table{
		Name: "azure_app_service_web_app",
		Description: "App Service web apps and function apps with their HTTPS, TLS, FTP, client certificate and identity settings " +
			"from the site and its web configuration.",
		Key: "id",
		Columns: append(resourceColumns("app"),
			store.Column{Name: "kind", Type: store.TypeText, Description: "Kind of site, such as app, app,linux, functionapp or functionapp,linux."},
			store.Column{Name: "state", Type: store.TypeText, Description: "State of the site: Running or Stopped."},
			store.Column{Name: "default_host_name", Type: store.TypeText, Description: "Default host name, NAME.azurewebsites.net."},
			store.Column{Name: "https_only", Type: store.TypeBool, Description: "True when HTTP requests are redirected to HTTPS."},
			store.Column{Name: "client_cert_enabled", Type: store.TypeBool, Description: "True when the site asks clients for a TLS certificate."},
			store.Column{Name: "client_cert_mode", Type: store.TypeText, Description: "Client certificate mode: Required, Optional or OptionalInteractiveUser."},
			store.Column{Name: "public_network_access", Type: store.TypeText, Description: "Public network access: Enabled or Disabled; NULL means enabled unless access restrictions say otherwise."},
			store.Column{Name: "identity_type", Type: store.TypeText, Description: "Managed identity: SystemAssigned, UserAssigned, both or None."},
			store.Column{Name: "min_tls_version", Type: store.TypeText, Description: "Minimum TLS version of the site: 1.0, 1.1, 1.2 or 1.3; NULL when the configuration could not be read."},
			store.Column{Name: "scm_min_tls_version", Type: store.TypeText, Description: "Minimum TLS version of the deployment (SCM) site."},
			store.Column{Name: "ftps_state", Type: store.TypeText, Description: "FTP access: AllAllowed, FtpsOnly or Disabled."},
			store.Column{Name: "http20_enabled", Type: store.TypeBool, Description: "True when clients may connect over HTTP/2."},
			store.Column{Name: "remote_debugging_enabled", Type: store.TypeBool, Description: "True when remote debugging is enabled."},
			store.Column{Name: "always_on", Type: store.TypeBool, Description: "True when the app is kept loaded."},
			store.Column{Name: "linux_fx_version", Type: store.TypeText, Description: "Runtime stack of a Linux app, such as PYTHON|3.12 or DOCKER|image."},
			store.Column{Name: "net_framework_version", Type: store.TypeText, Description: ".NET Framework version of a Windows app, such as v4.0."},
			store.Column{Name: "php_version", Type: store.TypeText, Description: "PHP version of a Windows app."},
			store.Column{Name: "java_version", Type: store.TypeText, Description: "Java version of a Windows app."},
			store.Column{Name: "python_version", Type: store.TypeText, Description: "Python version of a Windows app."},
			store.Column{Name: "site_config", Type: store.TypeJSON, Description: "Web configuration of the site as GET sites/NAME/config/web returns it, without app settings or connection strings."},
		),
	}, fetchWebApps)
}

// webApp is the part of a Microsoft.Web/sites resource that the table
// reads. The Azure SDK's armappservice module is not used because the
// module proxy available to this project does not serve it.
type webApp struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Kind     string            `json:"kind"`
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
	Identity *struct {
		Type string `json:"type"`
	} `json:"identity"`
	Properties *struct {
		State               string `json:"state"`
		DefaultHostName     string `json:"defaultHostName"`
		HTTPSOnly           *bool  `json:"httpsOnly"`
		ClientCertEnabled   *bool  `json:"clientCertEnabled"`
		ClientCertMode      string `json:"clientCertMode"`
		PublicNetworkAccess string `json:"publicNetworkAccess"`
	} `json:"properties"`
}

// siteConfig is the part of a site's web configuration that the table
// models. The whole properties object is kept in site_config.
type siteConfig struct {
	Properties struct {
		MinTLSVersion          string `json:"minTlsVersion"`
		ScmMinTLSVersion       string `json:"scmMinTlsVersion"`
		FtpsState              string `json:"ftpsState"`
		HTTP20Enabled          *bool  `json:"http20Enabled"`
		RemoteDebuggingEnabled *bool  `json:"remoteDebuggingEnabled"`
		AlwaysOn               *bool  `json:"alwaysOn"`
		LinuxFxVersion         string `json:"linuxFxVersion"`
		NetFrameworkVersion    string `json:"netFrameworkVersion"`
		PhpVersion             string `json:"phpVersion"`
		JavaVersion            string `json:"javaVersion"`
		PythonVersion          string `json:"pythonVersion"`
	} `json:"properties"`
}

func fetchWebApps(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	var apps []json.RawMessage
	err := c.Graph.Resources(ctx, c.SubscriptionID, []string{webAppType}, func(raw json.RawMessage) error {
		apps = append(apps, raw)
		return nil
	})
	if err != nil {
		return err
	}
	client, err := arm.NewClient("stance", "v1.0.0", c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create ARM client: %w", err)
	}
	return eachConcurrently(ctx, c.concurrency(), apps, func(ctx context.Context, raw json.RawMessage, emit func(tables.Record) error) error {
		app, err := decode[webApp](raw)
		if err != nil {
			return err
		}
		config, err := getSiteConfig(ctx, client, app.ID)
		if resourceGone(err) {
			skipGone("web app", app.ID, err)
			return nil
		}
		if err != nil {
			return fmt.Errorf("get web configuration of app %s: %w", app.Name, err)
		}
		rec, err := webAppRow(raw, config)
		if err != nil {
			return err
		}
		return emit(rec)
	}, emit)
}

// getSiteConfig reads GET {site id}/config/web through the SDK's ARM
// pipeline, which adds authentication, retries and the cloud endpoint.
func getSiteConfig(ctx context.Context, client *arm.Client, siteID string) (json.RawMessage, error) {
	req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(client.Endpoint(), siteID, "config", "web"))
	if err != nil {
		return nil, err
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", webAPIVersion)
	req.Raw().URL.RawQuery = q.Encode()
	req.Raw().Header.Set("Accept", "application/json")
	resp, err := client.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// webAppRow builds the azure_app_service_web_app record of a site, given
// as ARM JSON, and its web configuration (nil when unknown).
func webAppRow(raw, config json.RawMessage) (tables.Record, error) {
	app, err := decode[webApp](raw)
	if err != nil {
		return nil, err
	}
	rec := resourceRecord(&app.ID, &app.Name, &app.Location, nil)
	rec["tags"] = app.Tags
	rec["kind"] = textOrNil(app.Kind)
	if app.Identity != nil {
		rec["identity_type"] = textOrNil(app.Identity.Type)
	}
	if p := app.Properties; p != nil {
		rec["state"] = textOrNil(p.State)
		rec["default_host_name"] = textOrNil(p.DefaultHostName)
		rec["https_only"] = p.HTTPSOnly
		rec["client_cert_enabled"] = p.ClientCertEnabled
		rec["client_cert_mode"] = textOrNil(p.ClientCertMode)
		rec["public_network_access"] = textOrNil(p.PublicNetworkAccess)
	}
	if len(config) > 0 {
		var cfg siteConfig
		if err := json.Unmarshal(config, &cfg); err != nil {
			return nil, fmt.Errorf("decode web configuration of app %s: %w", app.Name, err)
		}
		// Drop the fields that can hold secrets: config/web leaves them
		// null today, but site_config must never store one.
		var whole struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(config, &whole); err != nil {
			return nil, fmt.Errorf("decode web configuration of app %s: %w", app.Name, err)
		}
		for _, secret := range []string{"appSettings", "connectionStrings", "publishingPassword", "publishingUsername", "azureStorageAccounts"} {
			delete(whole.Properties, secret)
		}
		p := cfg.Properties
		rec["min_tls_version"] = textOrNil(p.MinTLSVersion)
		rec["scm_min_tls_version"] = textOrNil(p.ScmMinTLSVersion)
		rec["ftps_state"] = textOrNil(p.FtpsState)
		rec["http20_enabled"] = p.HTTP20Enabled
		rec["remote_debugging_enabled"] = p.RemoteDebuggingEnabled
		rec["always_on"] = p.AlwaysOn
		rec["linux_fx_version"] = textOrNil(p.LinuxFxVersion)
		rec["net_framework_version"] = textOrNil(p.NetFrameworkVersion)
		rec["php_version"] = textOrNil(p.PhpVersion)
		rec["java_version"] = textOrNil(p.JavaVersion)
		rec["python_version"] = textOrNil(p.PythonVersion)
		if whole.Properties != nil {
			rec["site_config"] = whole.Properties
		}
	}
	rec["raw"] = raw
	return rec, nil
}
