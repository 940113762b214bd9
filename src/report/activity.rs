//! Audit-log activities (FORMATS.md §2): the service that logged an event, what the
//! activity is, and its status. Only password activities enter the answers; the rest
//! is counted and browsable as "other".

use super::key::{named, Key};

/// `loggedByService`, as far as the viewer cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Service {
    SelfServicePasswordManagement,
    AuthenticationMethods,
    CoreDirectory,
    MicrosoftIdentityManager,
    #[default]
    Other,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::SelfServicePasswordManagement,
        Service::AuthenticationMethods,
        Service::CoreDirectory,
        Service::MicrosoftIdentityManager,
        Service::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::SelfServicePasswordManagement => "Self-service Password Management",
            Service::AuthenticationMethods => "Authentication Methods",
            Service::CoreDirectory => "Core Directory",
            Service::MicrosoftIdentityManager => "Microsoft Identity Manager",
            Service::Other => "Other",
        }
    }

    pub fn parse(text: &str) -> Service {
        const SPELT: &[(&str, Service)] = &[
            (
                "Self-service Password Management",
                Service::SelfServicePasswordManagement,
            ),
            ("Core Directory", Service::CoreDirectory),
            ("Authentication Methods", Service::AuthenticationMethods),
        ];
        named(text, SPELT, |key| match key {
            "selfservicepasswordmanagement" | "sspr" | "selfservicepasswordreset" => {
                Service::SelfServicePasswordManagement
            }
            "authenticationmethods" => Service::AuthenticationMethods,
            "coredirectory" => Service::CoreDirectory,
            "microsoftidentitymanager" | "mim" => Service::MicrosoftIdentityManager,
            _ => Service::Other,
        })
    }
}

/// What an audit event records. The first seven are the seed's SSPR activity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Activity {
    SsprBlocked,
    SsprChangePassword,
    SsprResetByAdmin,
    SsprReset,
    SsprFlowProgress,
    SsprUnlock,
    SsprRegistered,
    SsprSecurityInfoSaved,
    SsprWriteback,
    /// Security-info registration (combined registration).
    SecurityInfoRegistered,
    SecurityInfoRegisteredAll,
    SecurityInfoChanged,
    SecurityInfoOther,
    UserStartedPasswordReset,
    UserStartedPasswordChange,
    AdminSecurityInfo,
    AdminStartedPasswordReset,
    /// Core Directory `Reset user password`.
    DirectoryResetPassword,
    DirectoryChangePassword,
    DirectoryForceChangePassword,
    MimRegistration,
    MimReset,
    #[default]
    Other,
}

/// How the activity filter groups activities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivityGroup {
    SelfServicePassword,
    SecurityInfo,
    AdminPassword,
    Other,
}

impl Activity {
    pub const ALL: [Activity; 23] = [
        Activity::SsprBlocked,
        Activity::SsprChangePassword,
        Activity::SsprResetByAdmin,
        Activity::SsprReset,
        Activity::SsprFlowProgress,
        Activity::SsprUnlock,
        Activity::SsprRegistered,
        Activity::SsprSecurityInfoSaved,
        Activity::SsprWriteback,
        Activity::SecurityInfoRegistered,
        Activity::SecurityInfoRegisteredAll,
        Activity::SecurityInfoChanged,
        Activity::SecurityInfoOther,
        Activity::UserStartedPasswordReset,
        Activity::UserStartedPasswordChange,
        Activity::AdminSecurityInfo,
        Activity::AdminStartedPasswordReset,
        Activity::DirectoryResetPassword,
        Activity::DirectoryChangePassword,
        Activity::DirectoryForceChangePassword,
        Activity::MimRegistration,
        Activity::MimReset,
        Activity::Other,
    ];

    /// Classifies an activity by its display name (any case and spacing); the names are
    /// distinct across services.
    pub fn classify(name: &str) -> Activity {
        match Key::of(name).as_str() {
            "blockedfromselfservicepasswordreset" => Activity::SsprBlocked,
            "changepasswordselfservice" => Activity::SsprChangePassword,
            "resetpasswordbyadmin" => Activity::SsprResetByAdmin,
            "resetpasswordselfservice" => Activity::SsprReset,
            "selfservicepasswordresetflowactivityprogress"
            | "selfservepasswordresetflowactivityprogress" => Activity::SsprFlowProgress,
            "unlockuseraccountselfservice" => Activity::SsprUnlock,
            "userregisteredforselfservicepasswordreset" => Activity::SsprRegistered,
            "securityinfosavedforselfservicepasswordreset" => Activity::SsprSecurityInfoSaved,
            "enablepasswordwritebackfordirectory" | "disablepasswordwritebackfordirectory" => {
                Activity::SsprWriteback
            }
            "userregisteredsecurityinfo" => Activity::SecurityInfoRegistered,
            "userregisteredallrequiredsecurityinfo" => Activity::SecurityInfoRegisteredAll,
            "userdeletedsecurityinfo"
            | "userupdatedsecurityinfo"
            | "userchangeddefaultsecurityinfo" => Activity::SecurityInfoChanged,
            "userstartedsecurityinforegistration"
            | "usercanceledsecurityinforegistration"
            | "usercancelledsecurityinforegistration"
            | "userreviewedsecurityinfo" => Activity::SecurityInfoOther,
            "userstartedpasswordreset" => Activity::UserStartedPasswordReset,
            "userstartedpasswordchange" => Activity::UserStartedPasswordChange,
            "adminregisteredsecurityinfo"
            | "adminupdatedsecurityinfo"
            | "admindeletedsecurityinfo" => Activity::AdminSecurityInfo,
            "adminstartedpasswordreset" => Activity::AdminStartedPasswordReset,
            "resetuserpassword" | "resetpassword" => Activity::DirectoryResetPassword,
            "changeuserpassword" => Activity::DirectoryChangePassword,
            "setforcechangeuserpassword" => Activity::DirectoryForceChangePassword,
            "userpasswordregistration" => Activity::MimRegistration,
            "userpasswordreset" => Activity::MimReset,
            _ => Activity::Other,
        }
    }

    pub fn group(self) -> ActivityGroup {
        use Activity::*;
        match self {
            SsprBlocked
            | SsprChangePassword
            | SsprResetByAdmin
            | SsprReset
            | SsprFlowProgress
            | SsprUnlock
            | SsprRegistered
            | SsprSecurityInfoSaved
            | SsprWriteback
            | MimRegistration
            | MimReset => ActivityGroup::SelfServicePassword,
            SecurityInfoRegistered
            | SecurityInfoRegisteredAll
            | SecurityInfoChanged
            | SecurityInfoOther
            | UserStartedPasswordReset
            | UserStartedPasswordChange
            | AdminSecurityInfo => ActivityGroup::SecurityInfo,
            AdminStartedPasswordReset
            | DirectoryResetPassword
            | DirectoryChangePassword
            | DirectoryForceChangePassword => ActivityGroup::AdminPassword,
            Other => ActivityGroup::Other,
        }
    }

    /// Events of one self-service reset session (FORMATS.md §7).
    pub fn is_reset_session_step(self) -> bool {
        matches!(
            self,
            Activity::SsprFlowProgress | Activity::SsprReset | Activity::SsprBlocked
        )
    }

    /// The user's security info was registered or changed.
    pub fn changes_security_info(self) -> bool {
        matches!(
            self,
            Activity::SsprSecurityInfoSaved
                | Activity::SsprRegistered
                | Activity::SecurityInfoRegistered
                | Activity::SecurityInfoRegisteredAll
                | Activity::SecurityInfoChanged
                | Activity::AdminSecurityInfo
        )
    }

    /// A successful one counts as a registration for password reset.
    pub fn is_registration(self) -> bool {
        matches!(
            self,
            Activity::SsprRegistered
                | Activity::SecurityInfoRegistered
                | Activity::SecurityInfoRegisteredAll
                | Activity::MimRegistration
        )
    }
}

/// An audit event's `Result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Status {
    Success,
    Failure,
    Timeout,
    #[default]
    Other,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Success,
        Status::Failure,
        Status::Timeout,
        Status::Other,
    ];

    pub fn parse(text: &str) -> Status {
        const SPELT: &[(&str, Status)] = &[
            ("success", Status::Success),
            ("failure", Status::Failure),
            ("Success", Status::Success),
            ("Failure", Status::Failure),
        ];
        named(text, SPELT, |key| match key {
            "success" | "succeeded" | "true" | "0" => Status::Success,
            "failure" | "failed" | "false" => Status::Failure,
            "timeout" => Status::Timeout,
            _ => Status::Other,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Failure => "failure",
            Status::Timeout => "timeout",
            Status::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(service: &str, activity: &str, expected: Activity) {
        assert_eq!(
            Activity::classify(activity),
            expected,
            "{service} / {activity}"
        );
    }

    #[test]
    fn activities_of_every_service() {
        use Activity::*;
        let sspr = "Self-service Password Management";
        check(
            sspr,
            "Blocked from self-service password reset",
            SsprBlocked,
        );
        check(sspr, "Change password (self-service)", SsprChangePassword);
        check(sspr, "Reset password (by admin)", SsprResetByAdmin);
        check(sspr, "Reset password (self-service)", SsprReset);
        check(
            sspr,
            "Self-service password reset flow activity progress",
            SsprFlowProgress,
        );
        check(
            sspr,
            "Self serve password reset flow activity progress",
            SsprFlowProgress,
        );
        check(sspr, "Unlock user account (self-service)", SsprUnlock);
        check(
            sspr,
            "User registered for self-service password reset",
            SsprRegistered,
        );
        check(
            sspr,
            "Security info saved for self-service password reset",
            SsprSecurityInfoSaved,
        );
        check("SSPR", "Reset password (self-service)", SsprReset);
        check(
            "Authentication Methods",
            "User registered security info",
            SecurityInfoRegistered,
        );
        check(
            "Authentication Methods",
            "User registered all required security info",
            SecurityInfoRegisteredAll,
        );
        check(
            "Authentication Methods",
            "User changed default security info",
            SecurityInfoChanged,
        );
        check(
            "Authentication Methods",
            "user started password reset",
            UserStartedPasswordReset,
        );
        check(
            "Authentication Methods",
            "Admin deleted security info",
            AdminSecurityInfo,
        );
        check(
            "Core Directory",
            "Reset user password",
            DirectoryResetPassword,
        );
        check("Core Directory", "Reset password", DirectoryResetPassword);
        check(
            "Core Directory",
            "Change user password",
            DirectoryChangePassword,
        );
        check(
            "Core Directory",
            "Set force change user password",
            DirectoryForceChangePassword,
        );
        check(
            "Microsoft Identity Manager",
            "User Password Reset",
            MimReset,
        );
        check(
            "Core Directory",
            "Update StsRefreshTokenValidFrom Timestamp",
            Other,
        );
        check("Device Registration Service", "Register device", Other);
    }

    #[test]
    fn statuses() {
        assert_eq!(Status::parse("success"), Status::Success);
        assert_eq!(Status::parse("Failure"), Status::Failure);
        assert_eq!(Status::parse("timeout"), Status::Timeout);
        assert_eq!(Status::parse("(blank)"), Status::Other);
    }
}
