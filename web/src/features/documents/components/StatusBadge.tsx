import { CircleCheck, LoaderCircle, TriangleAlert } from 'lucide-react';
import { Badge } from '../../../components/ui/Badge.tsx';
import type { DocumentStatus } from '../../../lib/api-types.ts';

export function StatusBadge({ status, reason }: { status: DocumentStatus; reason?: string }) {
  if (status === 'ready') {
    return (
      <Badge tone="green">
        <CircleCheck className="size-3" aria-hidden /> Ready
      </Badge>
    );
  }
  if (status === 'failed') {
    return (
      <Badge tone="red" title={reason}>
        <TriangleAlert className="size-3" aria-hidden /> Failed
      </Badge>
    );
  }
  return (
    <Badge tone="blue">
      <LoaderCircle className="size-3 animate-spin" aria-hidden /> Processing
    </Badge>
  );
}
