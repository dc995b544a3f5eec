# ruff: noqa: E501
"""The allauth (and django.contrib.auth) messages our users meet, listed so that `makemessages` puts
them in the project's catalogue: translations in LOCALE_PATHS take precedence over the packages' own,
whose Ukrainian reads poorly (Title Case, calques, typos). Nothing imports this module's names; the
English catalogue gives the Title Case ones in sentence case. Generated from allauth's catalogue;
keep a msgid byte for byte as the package writes it, or the override silently stops applying."""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

MESSAGES = (
    # account/adapter.py
    gettext_noop("This account is currently inactive."),
    # account/adapter.py
    gettext_noop("You cannot remove your primary email address."),
    # account/adapter.py
    gettext_noop("This email address is already associated with this account."),
    # account/adapter.py
    gettext_noop("The email address and/or password you specified are not correct."),
    # account/adapter.py
    gettext_noop("A user is already registered with this email address."),
    # account/adapter.py
    gettext_noop("Please type your current password."),
    # account/adapter.py, mfa/adapter.py
    gettext_noop("Incorrect code."),
    # account/adapter.py
    gettext_noop("Incorrect password."),
    # account/adapter.py
    gettext_noop("Invalid or expired key."),
    # account/adapter.py
    gettext_noop("Invalid login."),
    # account/adapter.py
    gettext_noop("The password reset token was invalid."),
    # account/adapter.py
    gettext_noop("You cannot add more than %d email addresses."),
    # account/adapter.py
    gettext_noop("Too many failed login attempts. Try again later."),
    # account/adapter.py
    gettext_noop("The email address is not assigned to any user account."),
    # account/adapter.py, templates/account/messages/unverified_primary_email.txt
    gettext_noop("Your primary email address must be verified."),
    # account/adapter.py
    gettext_noop("Please select only one."),
    # account/adapter.py
    gettext_noop("The new value must be different from the current one."),
    # account/adapter.py
    gettext_noop("Be patient, you are sending too many requests."),
    # account/adapter.py
    gettext_noop("Use your password"),
    # account/adapter.py
    gettext_noop("Use authenticator app or code"),
    # account/adapter.py, templates/mfa/authenticate.html
    gettext_noop("Use a security key"),
    # account/apps.py
    gettext_noop("Accounts"),
    # account/fields.py, account/forms.py
    gettext_noop("Email"),
    # account/fields.py
    gettext_noop("Email address"),
    # account/fields.py
    gettext_noop("Forgot your password?"),
    # account/forms.py
    gettext_noop("You must type the same password each time."),
    # account/forms.py
    gettext_noop("Password"),
    # account/forms.py
    gettext_noop("Remember Me"),
    # account/forms.py
    pgettext_lazy("field label", "Login"),
    # account/forms.py
    gettext_noop("Email (again)"),
    # account/forms.py
    gettext_noop("Email address confirmation"),
    # account/forms.py
    gettext_noop("Email (optional)"),
    # account/forms.py
    gettext_noop("You must type the same email each time."),
    # account/forms.py
    gettext_noop("Password (again)"),
    # account/forms.py
    gettext_noop("Current Password"),
    # account/forms.py
    gettext_noop("New Password"),
    # account/forms.py
    gettext_noop("New Password (again)"),
    # mfa/adapter.py
    gettext_noop("You cannot add an email address to an account protected by two-factor authentication."),
    # mfa/adapter.py
    gettext_noop("You cannot deactivate two-factor authentication."),
    # mfa/adapter.py
    gettext_noop("You cannot generate recovery codes without having two-factor authentication enabled."),
    # mfa/adapter.py
    gettext_noop("You cannot activate two-factor authentication until you have verified your email address."),
    # mfa/adapter.py
    gettext_noop("Master key"),
    # mfa/adapter.py
    gettext_noop("Backup key"),
    # mfa/adapter.py
    gettext_noop("Key nr. {number}"),
    # mfa/apps.py
    gettext_noop("MFA"),
    # mfa/totp/forms.py
    gettext_noop("Authenticator code"),
    # mfa/webauthn/forms.py
    gettext_noop("Passwordless"),
    # mfa/webauthn/forms.py
    gettext_noop(
        "Enabling passwordless operation allows you to sign in using just this key, but imposes additional requirements such as biometrics or PIN protection."
    ),
    # socialaccount/providers/dummy/templates/dummy/authenticate_form.html, templates/account/base_confirm_code.html
    gettext_noop("Cancel"),
    # templates/account/account_inactive.html
    gettext_noop("Account Inactive"),
    # templates/account/account_inactive.html
    gettext_noop("This account is inactive."),
    # templates/account/base_confirm_code.html
    gettext_noop("We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."),
    # templates/account/base_confirm_code.html, templates/account/email_confirm.html
    gettext_noop("Confirm"),
    # templates/account/base_confirm_code.html
    gettext_noop("Request new code"),
    # templates/account/base_reauthenticate.html, templates/account/confirm_reauthentication_code.html
    gettext_noop("Confirm Access"),
    # templates/account/base_reauthenticate.html
    gettext_noop("Please reauthenticate to safeguard your account."),
    # templates/account/base_reauthenticate.html, templates/mfa/authenticate.html
    gettext_noop("Alternative options"),
    # templates/account/confirm_email_verification_code.html
    gettext_noop("Email Verification"),
    # templates/account/confirm_email_verification_code.html
    gettext_noop("Enter Email Verification Code"),
    # templates/account/confirm_email_verification_code.html
    gettext_noop("Use a different email address"),
    # layouts/base.html, templates/account/confirm_login_code.html
    gettext_noop("Sign In"),
    # templates/account/confirm_password_reset_code.html, templates/account/email/password_reset_subject.txt
    gettext_noop("Password Reset"),
    # templates/account/confirm_password_reset_code.html
    gettext_noop("Enter Password Reset Code"),
    # templates/account/email.html
    gettext_noop("Email Addresses"),
    # templates/account/email.html
    gettext_noop("The following email addresses are associated with your account:"),
    # templates/account/email.html
    gettext_noop("Verified"),
    # templates/account/email.html
    gettext_noop("Unverified"),
    # templates/account/email.html
    gettext_noop("Primary"),
    # templates/account/email.html
    gettext_noop("Make Primary"),
    # templates/account/email.html, templates/account/email_change.html
    gettext_noop("Re-send Verification"),
    # templates/account/email.html, templates/mfa/webauthn/authenticator_confirm_delete.html
    gettext_noop("Remove"),
    # templates/account/email.html
    gettext_noop("Add Email Address"),
    # templates/account/email.html
    gettext_noop("Add Email"),
    # templates/account/email.html
    gettext_noop("Do you really want to remove the selected email address?"),
    # templates/account/email/account_already_exists_message.txt
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\naccount using email address:\n\n%(email)s\n\nHowever, an account using that email address already exists.  In case you have\nforgotten about this, please use the password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ),
    # templates/account/email/account_already_exists_subject.txt
    gettext_noop("Account Already Exists"),
    # templates/account/email/base_message.txt
    gettext_noop("Hello from %(site_name)s!"),
    # templates/account/email/base_message.txt
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
    # templates/account/email/base_notification.txt
    gettext_noop("You are receiving this mail because the following change was made to your account:"),
    # templates/account/email/base_notification.txt
    gettext_noop(
        "If you do not recognize this change then please take proper security precautions immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n- Date: %(timestamp)s"
    ),
    # templates/account/email/email_changed_message.txt
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    # templates/account/email/email_changed_subject.txt
    gettext_noop("Email Changed"),
    # templates/account/email/email_confirm_message.txt
    gettext_noop("Your email has been confirmed."),
    # templates/account/email/email_confirm_subject.txt
    gettext_noop("Email Confirmation"),
    # templates/account/email/email_confirmation_message.txt
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s."
    ),
    # templates/account/email/email_confirmation_message.txt
    gettext_noop("Your email verification code is listed below. Please enter it in your open browser window."),
    # templates/account/email/email_confirmation_message.txt
    gettext_noop("To confirm this is correct, go to %(activate_url)s"),
    # templates/account/email/email_confirmation_subject.txt
    gettext_noop("Please Confirm Your Email Address"),
    # templates/account/email/email_deleted_message.txt
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    # templates/account/email/email_deleted_subject.txt
    gettext_noop("Email Removed"),
    # templates/account/email/login_code_message.txt, templates/account/email/password_reset_code_message.txt
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    # templates/account/email/password_changed_message.txt
    gettext_noop("Your password has been changed."),
    # templates/account/email/password_changed_subject.txt
    gettext_noop("Password Changed"),
    # templates/account/email/password_reset_code_message.txt
    gettext_noop("Your password reset code is listed below. Please enter it in your open browser window."),
    # templates/account/email/password_reset_code_subject.txt
    gettext_noop("Password Reset Code"),
    # templates/account/email/password_reset_key_message.txt
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."
    ),
    # templates/account/email/password_reset_key_subject.txt
    gettext_noop("Password Reset Email"),
    # templates/account/email/password_reset_message.txt
    gettext_noop("Your password has been reset."),
    # templates/account/email/password_set_message.txt
    gettext_noop("Your password has been set."),
    # templates/account/email/password_set_subject.txt
    gettext_noop("Password Set"),
    # templates/account/email/unknown_account_message.txt
    gettext_noop(
        "You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database."
    ),
    # templates/account/email/unknown_account_message.txt
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    # templates/account/email/unknown_account_subject.txt
    gettext_noop("Unknown Account"),
    # templates/account/email_change.html
    gettext_noop("Email Address"),
    # templates/account/email_change.html
    gettext_noop("Current email"),
    # templates/account/email_change.html
    gettext_noop("Changing to"),
    # templates/account/email_change.html
    gettext_noop("Your email address is still pending verification."),
    # templates/account/email_change.html
    gettext_noop("Cancel Change"),
    # templates/account/email_change.html, templates/account/phone_change.html
    gettext_noop("Change to"),
    # layouts/base.html, templates/account/email_change.html
    gettext_noop("Change Email"),
    # templates/account/email_confirm.html
    gettext_noop("Confirm Email Address"),
    # templates/account/email_confirm.html
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    # templates/account/email_confirm.html, templates/account/messages/email_confirmation_failed.txt
    gettext_noop("Unable to confirm %(email)s because it is already confirmed by a different account."),
    # templates/account/email_confirm.html
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    # templates/account/login.html
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    # layouts/base.html, templates/account/logout.html
    gettext_noop("Sign Out"),
    # templates/account/logout.html, templates/idp/oidc/logout.html
    gettext_noop("Are you sure you want to sign out?"),
    # templates/account/messages/cannot_delete_primary_email.txt
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    # templates/account/messages/email_confirmation_sent.txt
    gettext_noop("Confirmation email sent to %(email)s."),
    # templates/account/messages/email_confirmed.txt
    gettext_noop("You have confirmed %(email)s."),
    # templates/account/messages/email_deleted.txt
    gettext_noop("Removed email address %(email)s."),
    # templates/account/messages/logged_in.txt
    gettext_noop("Successfully signed in as %(name)s."),
    # templates/account/messages/logged_out.txt
    gettext_noop("You have signed out."),
    # templates/account/messages/password_changed.txt
    gettext_noop("Password successfully changed."),
    # templates/account/messages/password_set.txt
    gettext_noop("Password successfully set."),
    # templates/account/messages/primary_email_set.txt
    gettext_noop("Primary email address set."),
    # layouts/base.html, templates/account/password_change.html
    gettext_noop("Change Password"),
    # templates/account/password_reset.html
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    # templates/account/password_reset.html
    gettext_noop("Reset My Password"),
    # templates/account/password_reset.html
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    # templates/account/password_reset_done.html
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    # templates/account/password_reset_from_key.html
    gettext_noop("Bad Token"),
    # templates/account/password_reset_from_key.html
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    # templates/account/password_reset_from_key_done.html
    gettext_noop("Your password is now changed."),
    # templates/account/password_set.html
    gettext_noop("Set Password"),
    # templates/account/reauthenticate.html
    gettext_noop("Enter your password:"),
    # templates/account/request_login_code.html
    gettext_noop("You will receive a special code for a password-free sign-in."),
    # templates/account/request_login_code.html, templates/account/request_reauthentication_code.html
    gettext_noop("Request Code"),
    # templates/account/request_login_code.html
    gettext_noop("Other sign-in options"),
    # templates/account/signup.html, templates/account/signup_by_passkey.html
    gettext_noop("Signup"),
    # layouts/base.html, templates/account/signup.html
    gettext_noop("Sign Up"),
    # templates/account/signup.html, templates/account/signup_by_passkey.html
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    # templates/account/signup_by_passkey.html
    gettext_noop("Other options"),
    # templates/account/signup_closed.html
    gettext_noop("Sign Up Closed"),
    # templates/account/signup_closed.html
    gettext_noop("We are sorry, but the sign up is currently closed."),
    # templates/account/snippets/already_logged_in.html
    gettext_noop("Note"),
    # templates/account/snippets/already_logged_in.html
    gettext_noop("You are already logged in as %(user_display)s."),
    # templates/account/snippets/warn_no_email.html
    gettext_noop("Warning:"),
    # templates/account/snippets/warn_no_email.html
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc."
    ),
    # templates/account/verification_sent.html, templates/account/verified_email_required.html
    gettext_noop("Verify Your Email Address"),
    # templates/account/verification_sent.html
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, we require that you\nverify ownership of your email address. "
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside that email. If you do not see the verification email in your main inbox, check your spam folder. Otherwise\ncontact us if you do not receive it within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
    # layouts/base.html, templates/mfa/authenticate.html
    gettext_noop("Two-Factor Authentication"),
    # templates/mfa/authenticate.html
    gettext_noop("Your account is protected by two-factor authentication. Please enter an authenticator code:"),
    # templates/mfa/email/recovery_codes_generated_message.txt
    gettext_noop("A new set of Two-Factor Authentication recovery codes has been generated."),
    # templates/mfa/email/recovery_codes_generated_subject.txt
    gettext_noop("New Recovery Codes Generated"),
    # templates/mfa/email/totp_activated_message.txt, templates/mfa/messages/totp_activated.txt
    gettext_noop("Authenticator app activated."),
    # templates/mfa/email/totp_activated_subject.txt
    gettext_noop("Authenticator App Activated"),
    # templates/mfa/email/totp_deactivated_message.txt, templates/mfa/messages/totp_deactivated.txt
    gettext_noop("Authenticator app deactivated."),
    # templates/mfa/email/totp_deactivated_subject.txt
    gettext_noop("Authenticator App Deactivated"),
    # templates/mfa/email/webauthn_added_message.txt
    gettext_noop("A new security key has been added."),
    # templates/mfa/email/webauthn_added_subject.txt
    gettext_noop("Security Key Added"),
    # templates/mfa/email/webauthn_removed_message.txt
    gettext_noop("A security key has been removed."),
    # templates/mfa/email/webauthn_removed_subject.txt
    gettext_noop("Security Key Removed"),
    # templates/mfa/index.html, templates/mfa/totp/base.html
    gettext_noop("Authenticator App"),
    # templates/mfa/index.html
    gettext_noop("Authentication using an authenticator app is active."),
    # templates/mfa/index.html
    gettext_noop("An authenticator app is not active."),
    # templates/mfa/index.html, templates/mfa/totp/deactivate_form.html
    gettext_noop("Deactivate"),
    # templates/mfa/index.html, templates/mfa/totp/activate_form.html
    gettext_noop("Activate"),
    # templates/mfa/index.html, templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Security Keys"),
    # templates/mfa/index.html
    ngettext_lazy("You have added %(count)s security key.", "You have added %(count)s security keys.", 1),
    # templates/mfa/index.html, templates/mfa/webauthn/authenticator_list.html
    gettext_noop("No security keys have been added."),
    # templates/mfa/index.html
    gettext_noop("Manage"),
    # templates/mfa/index.html, templates/mfa/webauthn/add_form.html
    gettext_noop("Add"),
    # templates/mfa/index.html, templates/mfa/recovery_codes/base.html
    gettext_noop("Recovery Codes"),
    # templates/mfa/index.html, templates/mfa/recovery_codes/index.html
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
        1,
    ),
    # templates/mfa/index.html
    gettext_noop("No recovery codes set up."),
    # templates/mfa/index.html
    gettext_noop("View"),
    # templates/mfa/index.html
    gettext_noop("Download"),
    # templates/mfa/index.html, templates/mfa/recovery_codes/generate.html
    gettext_noop("Generate"),
    # templates/mfa/messages/recovery_codes_generated.txt
    gettext_noop("A new set of recovery codes has been generated."),
    # templates/mfa/messages/recovery_codes_generated.txt
    gettext_noop("Save them  in a secure location now — they won't be shown again."),
    # templates/mfa/messages/webauthn_added.txt
    gettext_noop("Security key added."),
    # templates/mfa/messages/webauthn_removed.txt
    gettext_noop("Security key removed."),
    # templates/mfa/reauthenticate.html
    gettext_noop("Enter an authenticator code:"),
    # templates/mfa/recovery_codes/generate.html
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    # templates/mfa/recovery_codes/generate.html
    gettext_noop("This action will invalidate your existing codes."),
    # templates/mfa/recovery_codes/generate.html
    gettext_noop("Are you sure?"),
    # templates/mfa/recovery_codes/index.html
    gettext_noop("Unused codes"),
    # templates/mfa/recovery_codes/index.html
    gettext_noop("Download codes"),
    # templates/mfa/recovery_codes/index.html
    gettext_noop("Generate new codes"),
    # templates/mfa/recovery_codes/index.html
    gettext_noop("I have saved my recovery codes"),
    # templates/mfa/totp/activate_form.html
    gettext_noop("Activate Authenticator App"),
    # templates/mfa/totp/activate_form.html
    gettext_noop(
        "To protect your account with two-factor authentication, scan the QR code below with your authenticator app. Then, input the verification code generated by the app below."
    ),
    # templates/mfa/totp/activate_form.html
    gettext_noop("Authenticator secret"),
    # templates/mfa/totp/activate_form.html
    gettext_noop("You can store this secret and use it to reinstall your authenticator app at a later time."),
    # templates/mfa/totp/deactivate_form.html
    gettext_noop("Deactivate Authenticator App"),
    # templates/mfa/totp/deactivate_form.html
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you sure?"),
    # templates/mfa/trust.html
    gettext_noop("Trust this Browser?"),
    # templates/mfa/trust.html
    gettext_noop(
        "If you choose to trust this browser, you will not be asked for a verification code the next time you sign in."
    ),
    # templates/mfa/trust.html
    gettext_noop("Trust for %(period)s"),
    # templates/mfa/trust.html
    gettext_noop("Don't Trust"),
    # templates/mfa/webauthn/add_form.html
    gettext_noop("Add Security Key"),
    # templates/mfa/webauthn/authenticator_confirm_delete.html
    gettext_noop("Remove Security Key"),
    # templates/mfa/webauthn/authenticator_confirm_delete.html
    gettext_noop("Are you sure you want to remove this security key?"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Usage"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Security key"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Unspecified"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Added on %(created_at)s"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Last used %(last_used)s"),
    # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Edit"),
    # templates/mfa/webauthn/edit_form.html
    gettext_noop("Edit Security Key"),
    # templates/mfa/webauthn/edit_form.html
    gettext_noop("Save"),
    # templates/mfa/webauthn/signup_form.html
    gettext_noop("Create"),
    # templates/mfa/webauthn/snippets/scripts.html
    gettext_noop("This functionality requires JavaScript."),
    # django.contrib.auth password validators and forms
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)

# Second-factor and re-authentication pages (allauth.mfa): title case and "аутентифікація" in its catalogue.
MFA_MESSAGES = [
    # Second-factor step of signing in, and confirming who you are again.
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Your account is protected by two-factor authentication. Please enter an authenticator code:"),
    gettext_noop("Alternative options"),
    gettext_noop("Use a security key"),
    gettext_noop("Enter an authenticator code:"),
    gettext_noop("Confirm Access"),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Enter your password:"),
    gettext_noop("Use your password"),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Send me a sign-in code"),
    # Setting up an authenticator app, recovery codes, security keys.
    gettext_noop("Activate Authenticator App"),
    gettext_noop(
        "To protect your account with two-factor authentication, scan the QR code below with your "
        "authenticator app. Then, input the verification code generated by the app below."
    ),
    gettext_noop("Authenticator secret"),
    gettext_noop("You can store this secret and use it to reinstall your authenticator app at a later time."),
    gettext_noop("Authenticator code"),
    gettext_noop("Authenticator App"),
    gettext_noop("Authentication using an authenticator app is active."),
    gettext_noop("An authenticator app is not active."),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you sure?"),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop("Security Keys"),
    gettext_noop("No security keys have been added."),
    gettext_noop("Add Security Key"),
    gettext_noop("Passkey"),
    gettext_noop("Master key"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Recovery codes"),
    gettext_noop("No recovery codes set up."),
    gettext_noop("Unused codes"),
    gettext_noop("Download codes"),
    gettext_noop("Generate new codes"),
    gettext_noop("Generate"),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("I have saved my recovery codes"),
    gettext_noop("TOTP Authenticator"),
    gettext_noop("MFA"),
    # Messages and the subjects of the notification emails.
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("Authenticator App Activated"),
    gettext_noop("Authenticator App Deactivated"),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("Security Key Added"),
    gettext_noop("Security Key Removed"),
]

PLURAL_MESSAGES = [
    ngettext_lazy("You have added %(count)s security key.", "You have added %(count)s security keys."),
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
    ),
]
