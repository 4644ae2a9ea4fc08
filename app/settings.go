package app

import (
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/app/config"
	"github.com/minedu-cla/cla/i18n"
)

// Preference keys (fyne.Preferences, kept by Fyne per app ID).
const (
	prefIssuer      = "issuer_url"
	prefLang        = "lang"
	prefTextSize    = "text_size"
	prefCamera      = "camera"
	prefKeepHistory = "keep_history"
)

// langNames are the languages as their speakers name them.
var langNames = map[i18n.Lang]string{i18n.ES: "Español", i18n.EN: "English", i18n.QU: "Runasimi (quechua)"}

func (u *UI) savedLang() i18n.Lang {
	if u.opts.Lang != "" {
		return u.opts.Lang
	}
	if l, ok := i18n.Parse(u.app.Preferences().String(prefLang)); ok {
		return l
	}
	return i18n.FromEnv()
}

// issuer is the issuer URL: --issuer or CLA_ISSUER_URL, else the saved
// setting, else the local development issuer.
func (u *UI) issuer() string {
	if u.opts.Issuer != "" {
		return u.opts.Issuer
	}
	return u.app.Preferences().StringWithFallback(prefIssuer, config.DefaultIssuer)
}

// settingsScreen: issuer URL, language, text size, camera, history; the
// freshness limits and the store, shown.
type settingsScreen struct {
	u    *UI
	view fyne.CanvasObject
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	prefs := u.app.Preferences()

	issuer := widget.NewEntry()
	issuer.SetText(u.issuer())
	issuerMsg := wrapped("")
	save := widget.NewButtonWithIcon(u.t("app.settings.save"), theme.DocumentSaveIcon(), func() {
		v := strings.TrimSpace(issuer.Text)
		p, err := url.Parse(v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			issuerMsg.Importance = widget.DangerImportance
			issuerMsg.SetText(u.t("app.settings.badurl"))
			return
		}
		prefs.SetString(prefIssuer, strings.TrimRight(v, "/"))
		issuerMsg.Importance = widget.SuccessImportance
		issuerMsg.SetText(u.t("app.settings.saved"))
	})
	if u.opts.Issuer != "" {
		issuer.Disable()
		save.Disable()
		issuerMsg.SetText(u.t("app.settings.issuerfixed"))
	}

	var names []string
	for _, l := range i18n.Langs {
		names = append(names, langNames[l])
	}
	lang := widget.NewSelect(names, func(name string) {
		for l, n := range langNames {
			if n == name {
				u.setLang(l)
			}
		}
	})
	lang.SetSelected(langNames[u.lang])

	sizes := []string{u.t("app.settings.size.normal"), u.t("app.settings.size.large"), u.t("app.settings.size.huge")}
	size := widget.NewSelect(sizes, nil)
	size.SetSelectedIndex(min(max(prefs.IntWithFallback(prefTextSize, 0), 0), len(sizes)-1))
	size.OnChanged = func(string) {
		prefs.SetInt(prefTextSize, size.SelectedIndex())
		u.applyTextSize()
		u.build()
		u.selectTab(tabSettings)
	}

	keep := widget.NewCheck(u.t("app.settings.keep"), func(on bool) {
		prefs.SetBool(prefKeepHistory, on)
		u.history.keepChanged(on)
	})
	keep.Checked = prefs.Bool(prefKeepHistory)

	lim := u.opts.Engine.Limits()
	days := func(d time.Duration) int { return int(d.Hours() / 24) }
	form := widget.NewForm(
		widget.NewFormItem(u.t("app.settings.issuer"), container.NewBorder(nil, nil, nil, save, issuer)),
		widget.NewFormItem("", issuerMsg),
		widget.NewFormItem(u.t("app.settings.lang"), lang),
		widget.NewFormItem(u.t("app.settings.size"), size),
	)
	if u.scan != nil {
		form.Append(u.t("app.settings.camera"), u.scan.chooser())
	}
	form.Append(u.t("app.settings.history"), keep)
	form.Append(u.t("app.settings.limits"), wrapped(u.t("app.settings.limitsv", days(lim.Soft), days(lim.Hard))))
	form.Append(u.t("app.settings.store"), wrapped(u.opts.Store))
	form.Append(u.t("app.settings.roots"), container.NewHBox(u.pinRootButton()))
	s.view = container.NewVScroll(container.NewVBox(
		heading(u.t("app.settings.title")),
		form,
		widget.NewSeparator(),
		wrapped(u.t("app.settings.keys")),
	))
	return s
}
