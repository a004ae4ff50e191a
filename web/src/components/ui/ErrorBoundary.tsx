import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorNote } from './Spinner.tsx';

/** One per panel, so a rendering bug in the graph does not blank the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode; label?: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('panel crashed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="p-6">
          <ErrorNote>
            {this.props.label ?? 'This panel'} could not be shown: {this.state.error.message}{' '}
            <button type="button" className="underline" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          </ErrorNote>
        </div>
      );
    }
    return this.props.children;
  }
}
