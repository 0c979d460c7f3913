//! The exception hierarchy of the package and the one place where core
//! errors become Python exceptions.
//!
//! ```text
//! minqing.Error                 every error minqing raises
//! ├── minqing.ValidationError   a data set breaks the rules (Dataset.validate)
//! ├── minqing.ParseError        input could not be read (JSON, Arrow cells)
//! ├── minqing.TransitionError   a request event not allowed in its state
//! └── minqing.InputError        an argument the core refuses (also a ValueError)
//! ```
//!
//! Each exception carries `.code` (the stable code of its first error, such
//! as `"field.bad_date"`) and `.problems` (every [`Problem`], errors and
//! warnings, in the order found), so that a notebook can show every bad row.

use minqing::problem::{Code, CodedError, Location, Problem as CoreProblem, Report};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use crate::problem::Problem;

pyo3::create_exception!(
    minqing,
    Error,
    PyException,
    "Base class of every error minqing raises.\n\n\
     Attributes:\n    code (str): the stable code of the first error, e.g. \"field.bad_date\".\n    \
     problems (list[Problem]): every problem found, in order.\n\n\
     >>> import minqing\n>>> try:\n...     minqing.Dataset.from_json('{')\n\
     ... except minqing.Error as e:\n...     e.code\n'json.syntax'"
);
pyo3::create_exception!(
    minqing,
    ValidationError,
    Error,
    "A data set breaks the rules: raised by `Dataset.validate(..., raise_on_error=True)`.\n\n\
     `.problems` holds every problem (warnings too); `.code` is the first error's code."
);
pyo3::create_exception!(
    minqing,
    ParseError,
    Error,
    "Input could not be read: malformed JSON, a missing column, a bad cell.\n\n\
     Each problem's `location` names the table (or JSON path), the row and the column."
);
pyo3::create_exception!(
    minqing,
    TransitionError,
    Error,
    "A request event that is not allowed in the request's current state; nothing was appended."
);

static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `minqing.InputError`: an argument the core refuses (a policy it cannot
/// run, a table it needs and was not given). A subclass of both
/// `minqing.Error` and `ValueError`, so that code catching `ValueError`
/// keeps working; made at import, as a class with two bases cannot be
/// declared by `create_exception!`.
pub(crate) fn input_error(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    INPUT_ERROR
        .get_or_try_init(py, || {
            let bases = PyTuple::new(
                py,
                [py.get_type::<Error>(), py.get_type::<PyValueError>()],
            )?;
            let attrs = PyDict::new(py);
            attrs.set_item("__module__", "minqing")?;
            attrs.set_item(
                "__doc__",
                "An argument minqing refuses: a policy it cannot run, a table it needs and was \
                 not given. Also a ValueError.\n\n`.code` and `.problems` as on every minqing.Error.",
            )?;
            let t = py
                .get_type::<PyType>()
                .call1(("InputError", bases, attrs))?
                .cast_into::<PyType>()?;
            Ok(t.unbind())
        })
        .map(|t| t.bind(py).clone())
}

/// What went wrong in the core, sorted by the exception it becomes. Every
/// fallible binding function returns `Result<T, Failure>` (or a `PyErr`
/// built by [`Failure::into_pyerr`]), so the mapping lives here only.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Input could not be read.
    Parse(Report),
    /// A data set breaks the rules.
    Validation(Report),
    /// A request event was refused (`minqing::case::CaseError`).
    Transition(Report),
    /// An argument the core refuses (a [`CodedError`] such as
    /// `ComplianceError`).
    Input(Report),
}

impl Failure {
    /// A parse failure with one problem.
    pub(crate) fn parse_one(code: Code, location: Location, zh: String, en: String) -> Self {
        Failure::Parse(std::iter::once(CoreProblem::new(code, location, zh, en)).collect())
    }

    /// A core error refusing an argument, located at `location`.
    pub(crate) fn input(e: &impl CodedError, location: Location) -> Self {
        Failure::Input(std::iter::once(e.to_problem(location)).collect())
    }

    /// An override or policy refusal at `location`: a value that does not
    /// fit is a `ParseError` (`json.shape`), any other refusal (an unknown
    /// preset or field, overrides that are not an object) an `InputError`.
    pub(crate) fn of_override(e: &minqing::cadence::OverrideError, location: Location) -> Self {
        match e {
            minqing::cadence::OverrideError::BadValue(_) => {
                Failure::Parse(std::iter::once(e.to_problem(location)).collect())
            }
            _ => Failure::input(e, location),
        }
    }

    fn report(&self) -> &Report {
        match self {
            Failure::Parse(r)
            | Failure::Validation(r)
            | Failure::Transition(r)
            | Failure::Input(r) => r,
        }
    }

    /// The Python exception: its class by kind, `.code` from the first error
    /// (or the first problem when all are warnings), `.problems` every problem.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let report = self.report();
        let first = report
            .iter()
            .find(|p| p.is_error())
            .or_else(|| report.problems.first());
        let code = first.map_or("error", |p| p.code.as_str());
        let mut message = match first {
            Some(p) => format!("{}: {} / {}", p.location, p.message.en, p.message.zh),
            None => "unknown error".to_owned(),
        };
        let more = report.problems.len().saturating_sub(1);
        if more > 0 {
            message.push_str(&format!(" (and {more} more; see .problems)"));
        }
        let err = match self {
            Failure::Parse(_) => ParseError::new_err(message),
            Failure::Validation(_) => ValidationError::new_err(message),
            Failure::Transition(_) => TransitionError::new_err(message),
            Failure::Input(_) => match input_error(py) {
                Ok(t) => PyErr::from_type(t, message),
                Err(e) => return e,
            },
        };
        if let Err(e) = attach(py, &err, code, self.report()) {
            return e;
        }
        err
    }
}

fn attach(py: Python<'_>, err: &PyErr, code: &str, report: &Report) -> PyResult<()> {
    let value = err.value(py);
    value.setattr("code", code)?;
    let problems = PyList::empty(py);
    for p in report.iter() {
        problems.append(Problem::from(p.clone()))?;
    }
    value.setattr("problems", problems)?;
    Ok(())
}

/// `Result<T, Failure>` into `PyResult<T>`, with the exception built in
/// [`Failure::into_pyerr`].
pub(crate) trait IntoPyResult<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Failure> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|f| f.into_pyerr(py))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        [
            CoreProblem::new(
                Code::CsvUnknownColumn,
                Location::file("visits"),
                "未知列",
                "unknown column",
            ),
            CoreProblem::new(
                Code::FieldBadDate,
                Location::default().at_path("visits[2]").with_field("at"),
                "日期无效",
                "bad date",
            ),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn each_failure_maps_to_its_class_with_code_and_problems() {
        Python::initialize();
        Python::attach(|py| {
            let cases = [
                (Failure::Parse(report()), "ParseError"),
                (Failure::Validation(report()), "ValidationError"),
                (Failure::Transition(report()), "TransitionError"),
                (Failure::Input(report()), "InputError"),
            ];
            for (failure, name) in cases {
                let err = failure.into_pyerr(py);
                assert!(err.is_instance_of::<Error>(py), "{name} is a minqing.Error");
                let value = err.value(py);
                assert_eq!(value.get_type().name().unwrap().to_string(), name);
                let code: String = value.getattr("code").unwrap().extract().unwrap();
                assert_eq!(code, "field.bad_date", "the first error, not the warning");
                let problems = value.getattr("problems").unwrap();
                assert_eq!(problems.len().unwrap(), 2);
                assert!(err.to_string().contains("visits[2]"), "{err}");
                if name == "InputError" {
                    assert!(err.is_instance_of::<PyValueError>(py), "also a ValueError");
                }
            }
        });
    }
}
